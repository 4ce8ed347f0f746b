using System.Diagnostics;
using System.Globalization;
using CodingAgent.Commands;

namespace CodingAgent.Tests.Commands;

// The runner is exercised with small shell commands instead of dotnet build, which takes far too long for a unit test.
public sealed class WorkspaceCommandRunnerTests : IDisposable
{
    private readonly TemporaryDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task RunAsync_ProcessExits_ReportsExitCodeAndOutput()
    {
        var runner = new WorkspaceCommandRunner(_root.Path, TimeSpan.FromSeconds(30), 1000);

        var result = await runner.RunAsync("sh", ["-c", "echo built; echo warning >&2; exit 3"], TestContext.Current.CancellationToken);

        Assert.False(result.TimedOut);
        Assert.Equal(3, result.ExitCode);
        Assert.False(result.Truncated);
        Assert.Contains("built\n", result.Output, StringComparison.Ordinal);
        Assert.Contains("warning\n", result.Output, StringComparison.Ordinal);
        Assert.StartsWith("'sh -c echo built; echo warning >&2; exit 3' exited with code 3.", result.ToToolResult(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_PastTheTimeLimit_KillsTheWholeProcessTree()
    {
        var runner = new WorkspaceCommandRunner(_root.Path, TimeSpan.FromSeconds(1), 1000);

        var result = await runner.RunAsync("sh", ["-c", "sleep 60 & echo child $!; wait"], TestContext.Current.CancellationToken);

        Assert.True(result.TimedOut);
        Assert.Null(result.ExitCode);
        Assert.Contains("[the process was killed at the time limit]", result.Output, StringComparison.Ordinal);
        Assert.Contains("did not finish within the time limit; its process tree was killed", result.ToToolResult(), StringComparison.Ordinal);
        var childLine = result.Output.Split('\n').Single(l => l.StartsWith("child ", StringComparison.Ordinal));
        var childId = int.Parse(childLine["child ".Length..], CultureInfo.InvariantCulture);
        Assert.True(HasExited(childId), "The grandchild 'sleep 60' still runs.");
    }

    [Fact]
    public async Task RunAsync_LongOutput_KeepsHeadAndTailWithANote()
    {
        var runner = new WorkspaceCommandRunner(_root.Path, TimeSpan.FromSeconds(30), 1000);

        var result = await runner.RunAsync("sh", ["-c", "i=1; while [ $i -le 3000 ]; do echo line $i; i=$((i+1)); done"], TestContext.Current.CancellationToken);

        Assert.Equal(0, result.ExitCode);
        Assert.True(result.Truncated);
        Assert.True(result.Output.Length < 1200, $"The output kept {result.Output.Length} characters.");
        Assert.StartsWith("line 1\nline 2\n", result.Output, StringComparison.Ordinal);
        Assert.EndsWith("line 2999\nline 3000\n", result.Output, StringComparison.Ordinal);
        Assert.Contains($"of {result.OutputCharacters} characters left out here", result.Output, StringComparison.Ordinal);
        Assert.True(result.OutputCharacters > 20_000);
    }

    [Fact]
    public void Constructor_OutputLimitTooSmall_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new WorkspaceCommandRunner(_root.Path, TimeSpan.FromSeconds(1), 10));
    }

    private static bool HasExited(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            // A killed child of a killed shell may linger as a zombie until it is reaped.
            return process.HasExited || File.ReadAllText($"/proc/{processId}/stat").Split(' ')[2] == "Z";
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}
