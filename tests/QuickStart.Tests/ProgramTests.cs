using Llama4.Testing;

namespace QuickStart.Tests;

/// <summary>
/// The QuickStart program, run as a child process: a model file it cannot use gives one line on the standard error
/// naming the problem and the documented exit code, never a stack trace or the runtime's abort (134); the demo model
/// still answers.
/// </summary>
public sealed class ProgramTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "quickstart-tests", Guid.NewGuid().ToString("N"));

    public ProgramTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public static TheoryData<string, int, string> BadModels => new()
    {
        { "missing", 3, "QuickStart: model file not found: The model file '" },
        { "not-gguf", 4, "QuickStart: not a GGUF file: The model file '" },
        { "sliding-window-0", 5, "QuickStart: model refused (InvalidMetadata): The model file '" },
    };

    [Theory]
    [MemberData(nameof(BadModels))]
    public async Task Main_BadModelFile_ExitsWithItsCodeAndOneStandardErrorLine(string model, int expectedCode, string expectedStart)
    {
        var (exitCode, output, error) = await RunAsync("--model", ModelPath(model), "--single-turn");

        Assert.True(exitCode == expectedCode, $"exit code {exitCode}\n{output}\n{error}");
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith(expectedStart, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Main_UnknownArgument_ExitsWithTwoAndTheUsage()
    {
        var (exitCode, _, error) = await RunAsync("--bogus");

        Assert.Equal(2, exitCode);
        Assert.StartsWith("Usage: QuickStart", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Main_DemoModelSingleTurn_StreamsAReplyAndExitsWithZero()
    {
        var (exitCode, output, error) = await RunAsync("--single-turn", "--max-tokens", "8");

        Assert.True(exitCode == 0, $"exit code {exitCode}\n{output}\n{error}");
        Assert.Contains("[finish: ", output, StringComparison.Ordinal);
    }

    private static Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments) =>
        SampleProcess.RunAsync("QuickStart", arguments, TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);

    private string ModelPath(string model) => model switch
    {
        "missing" => Path.Combine(_directory, "no-such-model.gguf"),
        "not-gguf" => TinyModelFiles.WriteNotGguf(_directory),
        _ => TinyModelFiles.SlidingWindowZero,
    };
}
