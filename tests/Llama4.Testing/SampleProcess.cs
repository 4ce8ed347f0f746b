using System.Diagnostics;

namespace Llama4.Testing;

/// <summary>
/// Runs a sample program, built next to the test assembly (a project reference copies it there), as a child process,
/// so a test sees what a user or a script sees: the exit code and the two output streams.
/// </summary>
public static class SampleProcess
{
    /// <summary>Runs <c>dotnet NAME.dll ARGS</c> from the test's folder and waits for it (killed after the time limit).</summary>
    /// <param name="name">The sample's assembly name (<c>CodingAgent</c>, <c>QuickStart</c>...).</param>
    /// <param name="arguments">Its command line.</param>
    /// <param name="timeLimit">How long it may run.</param>
    /// <param name="cancellationToken">Stops waiting (the process is killed).</param>
    /// <returns>The exit code, the standard output and the standard error.</returns>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string name, IEnumerable<string> arguments, TimeSpan timeLimit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, name + ".dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeLimit);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{name} did not finish within {timeLimit.TotalSeconds:0} s.");
        }

        return (process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }
}
