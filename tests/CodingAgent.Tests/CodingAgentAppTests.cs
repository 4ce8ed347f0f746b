using Llama4.Samples;
using Llama4.Testing;
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
            TextWriter.Null,
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

        var exitCode = await CodingAgentApp.RunAsync(["--script", script], console, TextWriter.Null, NullLoggerFactory.Instance, TestContext.Current.CancellationToken);

        Assert.Equal(2, exitCode);
        Assert.Contains("Script line 2", console.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("demo model", console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NoScriptOnANonInteractiveConsole_ExitsWithTwoAndSaysToUseAScript()
    {
        var console = new TestConsole();
        console.Profile.Width = 200;

        var exitCode = await CodingAgentApp.RunAsync([], console, TextWriter.Null, NullLoggerFactory.Instance, TestContext.Current.CancellationToken);

        Assert.Equal(2, exitCode);
        Assert.Contains("pass --script FILE", console.Output, StringComparison.Ordinal);
    }

    public static TheoryData<string, int, string> BadModels => new()
    {
        { "missing", SampleExitCodes.ModelNotFound, "CodingAgent: model file not found: The model file '" },
        { "not-gguf", SampleExitCodes.NotGguf, "CodingAgent: not a GGUF file: The model file '" },
        { "sliding-window-0", SampleExitCodes.ModelRefused, "CodingAgent: model refused (InvalidMetadata): The model file '" },
    };

    [Theory]
    [MemberData(nameof(BadModels))]
    public async Task RunAsync_BadModelFile_ExitsWithItsCodeAndOneErrorLine(string model, int expectedCode, string expectedStart)
    {
        var script = _root.WriteFile("test.script", "user: hi\n");
        var workspace = Directory.CreateDirectory(_root.Combine("workspace")).FullName;
        var console = new TestConsole();
        using var error = new StringWriter();

        var exitCode = await CodingAgentApp.RunAsync(
            ["--model", ModelPath(model), "--script", script, "--workspace", workspace],
            console,
            error,
            NullLoggerFactory.Instance,
            TestContext.Current.CancellationToken);

        Assert.Equal(expectedCode, exitCode);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith(expectedStart, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", console.Output + line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_MissingWorkspace_ExitsWithTwoAndOneErrorLine()
    {
        var script = _root.WriteFile("test.script", "user: hi\n");
        using var error = new StringWriter();

        var exitCode = await CodingAgentApp.RunAsync(
            ["--script", script, "--workspace", _root.Combine("no-such-folder")],
            new TestConsole(),
            error,
            NullLoggerFactory.Instance,
            TestContext.Current.CancellationToken);

        Assert.Equal(SampleExitCodes.BadArguments, exitCode);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("CodingAgent: The workspace directory '", line, StringComparison.Ordinal);
        Assert.Contains("--workspace", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Program_ModelTheLibraryRefuses_ExitsWithFiveAndOneStandardErrorLineNotAnAbort()
    {
        var script = _root.WriteFile("test.script", "user: hi\n");
        var workspace = Directory.CreateDirectory(_root.Combine("workspace")).FullName;

        var (exitCode, output, error) = await SampleProcess.RunAsync(
            "CodingAgent",
            ["--model", TinyModelFiles.SlidingWindowZero, "--script", script, "--workspace", workspace],
            TimeSpan.FromMinutes(2),
            TestContext.Current.CancellationToken);

        Assert.True(exitCode == SampleExitCodes.ModelRefused, $"exit code {exitCode}\n{output}\n{error}");
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("CodingAgent: model refused (InvalidMetadata): ", line, StringComparison.Ordinal);
        Assert.Contains("llama4.attention.sliding_window", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    private string ModelPath(string model) => model switch
    {
        "missing" => _root.Combine("no-such-model.gguf"),
        "not-gguf" => TinyModelFiles.WriteNotGguf(_root.Path),
        _ => TinyModelFiles.SlidingWindowZero,
    };
}
