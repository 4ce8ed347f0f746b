namespace CodingAgent.Commands;

/// <summary>What a command run by <see cref="WorkspaceCommandRunner"/> produced.</summary>
/// <param name="CommandLine">The command as it was started, for display.</param>
/// <param name="ExitCode">The exit code; <see langword="null"/> when the process was killed at the time limit.</param>
/// <param name="TimedOut">Whether the time limit ended the process (its whole process tree was killed).</param>
/// <param name="Output">Standard output and error, interleaved; when truncated, the head and the tail with a note between.</param>
/// <param name="OutputCharacters">How many characters the process wrote in all.</param>
/// <param name="Truncated">Whether <paramref name="Output"/> leaves part of the output out.</param>
internal sealed record CommandResult(string CommandLine, int? ExitCode, bool TimedOut, string Output, long OutputCharacters, bool Truncated)
{
    /// <summary>Formats the result as the text the model reads.</summary>
    /// <returns>The status line followed by the output.</returns>
    public string ToToolResult()
    {
        var status = TimedOut
            ? $"'{CommandLine}' did not finish within the time limit; its process tree was killed."
            : $"'{CommandLine}' exited with code {ExitCode}.";
        return status + "\n" + Output;
    }
}
