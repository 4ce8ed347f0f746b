using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console.Testing;

namespace CodingAgent.Tests;

/// <summary>The whole program in script mode on the generated tiny model (it loads its own engine, as the sample does).</summary>
public sealed class CodingAgentAppTests : IDisposable
{
    private readonly TemporaryDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task RunAsync_ScriptWithRequiredToolTurn_RunsTheToolAndFinishes()
    {
        var workspace = Directory.CreateDirectory(_root.Combine("workspace")).FullName;
        File.WriteAllText(Path.Combine(workspace, "hello.txt"), "hello from the workspace\n");
        var script = _root.WriteFile("test.script", "# end to end\nuser[list_files]: What is here?\nuser: Thanks.\n");
        var console = new TestConsole();
        console.Profile.Width = 160;

        var exitCode = await CodingAgentApp.RunAsync(
            ["--script", script, "--workspace", workspace, "--context", "8192", "--max-output-tokens", "96", "--seed", "2"],
            console,
            NullLoggerFactory.Instance,
            TestContext.Current.CancellationToken);

        Assert.True(exitCode == 0, console.Output);
        Assert.Contains("weights are RANDOM", console.Output, StringComparison.Ordinal);
        Assert.Contains("forces a call of list_files", console.Output, StringComparison.Ordinal);
        Assert.Contains("tool call: list_files", console.Output, StringComparison.Ordinal);
        Assert.Contains("tool result: list_files", console.Output, StringComparison.Ordinal);
        Assert.Matches(@"tool result: list_files─*┐\n│ hello\.txt ", console.Output);
        Assert.Contains("memory this turn", console.Output, StringComparison.Ordinal);
        Assert.Contains("Script finished.", console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_BadScriptLine_ExitsWithTwoBeforeLoadingTheModel()
    {
        var script = _root.WriteFile("bad.script", "user: hi\nassistant: no\n");
        var console = new TestConsole();
        console.Profile.Width = 200;

        var exitCode = await CodingAgentApp.RunAsync(["--script", script], console, NullLoggerFactory.Instance, TestContext.Current.CancellationToken);

        Assert.Equal(2, exitCode);
        Assert.Contains("Script line 2", console.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("demo model", console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NoScriptOnANonInteractiveConsole_ExitsWithTwoAndSaysToUseAScript()
    {
        var console = new TestConsole();
        console.Profile.Width = 200;

        var exitCode = await CodingAgentApp.RunAsync([], console, NullLoggerFactory.Instance, TestContext.Current.CancellationToken);

        Assert.Equal(2, exitCode);
        Assert.Contains("pass --script FILE", console.Output, StringComparison.Ordinal);
    }
}
