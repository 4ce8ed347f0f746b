using CodingAgent.Commands;
using CodingAgent.Workspace;

namespace CodingAgent.Tests.Workspace;

/// <summary>
/// Time-of-check to time-of-use: a thread swaps a workspace directory and a workspace file for symbolic links to
/// outside ones, again and again, while the tools read, write, patch, search and list the same paths. Whatever the
/// timing, nothing outside may be read, listed or changed.
/// </summary>
public sealed class WorkspaceToolsRaceTests : IDisposable
{
    private const string Secret = "OUTSIDE SECRET";
    private const int Rounds = 700;

    private readonly TemporaryDirectory _root = new();
    private readonly TemporaryDirectory _outside = new();
    private readonly WorkspaceTools _tools;

    public WorkspaceToolsRaceTests()
    {
        _root.WriteFile("race/inside.txt", "inside AAA\n");
        _root.WriteFile("swap.txt", "swap AAA\n");
        _outside.WriteFile("inside.txt", Secret + "\n");
        _outside.WriteFile("secret.txt", Secret + "\n");
        _outside.WriteFile("outside-only.txt", Secret + "\n");
        var sandbox = new WorkspaceSandbox(_root.Path);
        _tools = new WorkspaceTools(sandbox, new WorkspaceCommandRunner(sandbox.Root, TimeSpan.FromSeconds(30), 1000));
    }

    public void Dispose()
    {
        _root.Dispose();
        _outside.Dispose();
    }

    [Fact(Timeout = 300_000)]
    public async Task Tools_PathsSwappedForLinksDuringCalls_NothingOutsideIsReadListedOrChanged()
    {
        using var stop = new CancellationTokenSource();
        var swaps = 0;
        var swapper = Task.Run(
            () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    SwapDirectory();
                    SwapFile();
                    swaps++;
                }
            },
            TestContext.Current.CancellationToken);

        var escapes = new List<string>();
        var calls = 0;
        var succeeded = 0;
        try
        {
            for (var round = 0; round < Rounds; round++)
            {
                string[] results =
                [
                    _tools.ReadFile("race/inside.txt"),
                    _tools.ReadFile("swap.txt"),
                    _tools.SearchText("outside"),
                    _tools.ListFiles("race"),
                    _tools.WriteFile("race/inside.txt", "inside AAA\n"),
                    _tools.WriteFile("swap.txt", "swap AAA\n"),
                    _tools.PatchFile("swap.txt", "AAA", "BBB"),
                    _tools.PatchFile("race/inside.txt", "AAA", "BBB"),
                ];
                calls += results.Length;
                succeeded += results.Count(r => r.StartsWith("race/inside.txt (lines", StringComparison.Ordinal) || r.StartsWith("Patched", StringComparison.Ordinal));
                escapes.AddRange(results.Where(r => r.Contains(Secret, StringComparison.OrdinalIgnoreCase) || r.Contains("outside-only", StringComparison.Ordinal)));
                await Task.Yield();
            }
        }
        finally
        {
            await stop.CancelAsync();
            await swapper;
        }

        Assert.True(escapes.Count == 0, $"{escapes.Count} escapes of {calls} calls ({swaps} swaps, {succeeded} successful reads and patches): {string.Join(" | ", escapes.Take(3))}");
        Assert.Equal(5600, calls);
        Assert.True(swaps > 0 && succeeded > 0, $"{swaps} swaps, {succeeded} successful reads and patches: the race did not run");
        foreach (var name in new[] { "inside.txt", "secret.txt", "outside-only.txt" })
        {
            Assert.Equal(Secret + "\n", File.ReadAllText(_outside.Combine(name)));
        }

        Assert.Equal(["inside.txt", "outside-only.txt", "secret.txt"], Directory.GetFiles(_outside.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    // race/ -> race.real/, a link race -> outside, the link removed, race.real/ -> race/ (a directory the writer
    // created meanwhile is replaced).
    private void SwapDirectory()
    {
        var race = _root.Combine("race");
        var real = _root.Combine("race.real");
        try
        {
            Directory.Move(race, real);
        }
        catch (IOException)
        {
            return;
        }

        try
        {
            Directory.CreateSymbolicLink(race, _outside.Path);
            Thread.Yield();
            File.Delete(race);
        }
        catch (IOException)
        {
            // The writer created race/ first: it is replaced below.
        }

        // The writer may create race/ again at any moment: remove whatever is there until the move back succeeds.
        while (true)
        {
            try
            {
                var there = new DirectoryInfo(race);
                if (there.LinkTarget is not null)
                {
                    File.Delete(race);
                }
                else if (there.Exists)
                {
                    Directory.Delete(race, recursive: true);
                }

                Directory.Move(real, race);
                return;
            }
            catch (IOException)
            {
                Thread.Yield();
            }
        }
    }

    // swap.txt -> swap.real, a link swap.txt -> outside file, the link removed, swap.real -> swap.txt.
    private void SwapFile()
    {
        var swap = _root.Combine("swap.txt");
        var real = _root.Combine("swap.real");
        try
        {
            File.Move(swap, real);
        }
        catch (IOException)
        {
            return;
        }

        try
        {
            File.CreateSymbolicLink(swap, _outside.Combine("secret.txt"));
            Thread.Yield();
            File.Delete(swap);
        }
        catch (IOException)
        {
            // The writer created swap.txt first: the move below replaces it.
        }

        File.Move(real, swap, overwrite: true);
    }
}
