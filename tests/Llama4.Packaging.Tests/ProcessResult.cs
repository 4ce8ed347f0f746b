namespace Llama4.Packaging.Tests;

/// <summary>The exit code and the combined standard output and error of a child process.</summary>
internal sealed record ProcessResult(int ExitCode, string Output)
{
    /// <summary>Fails the test with the output when the process did not exit with 0.</summary>
    public ProcessResult EnsureSuccess(string what)
    {
        Assert.True(ExitCode == 0, $"{what} failed with exit code {ExitCode}:{Environment.NewLine}{Output}");
        return this;
    }
}
