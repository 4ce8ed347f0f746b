using Llama4.Samples;
using Llama4.Testing;
using Spectre.Console.Testing;

namespace CustomerService.Tests;

/// <summary>
/// The program's entry point on model files it cannot use: one line on the error output naming the problem and the
/// documented exit code, never a stack trace or the runtime's abort (134).
/// </summary>
public sealed class CustomerServiceAppTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "customer-service-tests", Guid.NewGuid().ToString("N"));

    public CustomerServiceAppTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public static TheoryData<string, int, string> BadModels => new()
    {
        { "missing", SampleExitCodes.ModelNotFound, "CustomerService: model file not found: The model file '" },
        { "not-gguf", SampleExitCodes.NotGguf, "CustomerService: not a GGUF file: The model file '" },
        { "sliding-window-0", SampleExitCodes.ModelRefused, "CustomerService: model refused (InvalidMetadata): The model file '" },
    };

    [Theory]
    [MemberData(nameof(BadModels))]
    public async Task MainAsync_BadModelFile_ExitsWithItsCodeAndOneErrorLine(string model, int expectedCode, string expectedStart)
    {
        using var console = new TestConsole();
        using var error = new StringWriter();

        var exitCode = await CustomerServiceApp.MainAsync(Arguments(ModelPath(model)), console, error, TestContext.Current.CancellationToken);

        Assert.Equal(expectedCode, exitCode);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith(expectedStart, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", console.Output + line, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "data", "session.json")));
    }

    [Fact]
    public async Task MainAsync_MissingScript_ExitsWithTwoBeforeLoadingTheModel()
    {
        using var console = new TestConsole();
        using var error = new StringWriter();

        var exitCode = await CustomerServiceApp.MainAsync(["--script", Path.Combine(_directory, "none.script")], console, error, TestContext.Current.CancellationToken);

        Assert.Equal(SampleExitCodes.BadArguments, exitCode);
        Assert.StartsWith("CustomerService: The script file '", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("demo model", console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MainAsync_NoScriptOnANonInteractiveConsole_ExitsWithTwo()
    {
        using var console = new TestConsole();
        using var error = new StringWriter();

        var exitCode = await CustomerServiceApp.MainAsync(["--model", TinyModelFiles.SlidingWindowZero], console, error, TestContext.Current.CancellationToken);

        Assert.Equal(SampleExitCodes.BadArguments, exitCode);
        Assert.Contains("pass --script FILE", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Program_ModelTheLibraryRefuses_ExitsWithFiveAndOneStandardErrorLineNotAnAbort()
    {
        var (exitCode, output, error) = await SampleProcess.RunAsync(
            "CustomerService",
            Arguments(TinyModelFiles.SlidingWindowZero),
            TimeSpan.FromMinutes(2),
            TestContext.Current.CancellationToken);

        Assert.True(exitCode == SampleExitCodes.ModelRefused, $"exit code {exitCode}\n{output}\n{error}");
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("CustomerService: model refused (InvalidMetadata): ", line, StringComparison.Ordinal);
        Assert.Contains("llama4.attention.sliding_window", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    private string[] Arguments(string model)
    {
        var script = Path.Combine(_directory, "test.script");
        File.WriteAllText(script, "user: Where is my order 1001?\n");
        return ["--model", model, "--script", script, "--data", Path.Combine(_directory, "data"), "--new"];
    }

    private string ModelPath(string model) => model switch
    {
        "missing" => Path.Combine(_directory, "no-such-model.gguf"),
        "not-gguf" => TinyModelFiles.WriteNotGguf(_directory),
        _ => TinyModelFiles.SlidingWindowZero,
    };
}
