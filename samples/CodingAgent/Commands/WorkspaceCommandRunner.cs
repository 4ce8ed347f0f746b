using System.Diagnostics;
using System.Text;

namespace CodingAgent.Commands;

/// <summary>
/// Runs a process in the workspace with a time limit (the whole process tree is killed when it passes) and keeps at
/// most <see cref="MaxOutputCharacters"/> characters of its output: the head and the tail, with a note saying how much
/// was left out. The build and test tools run <c>dotnet</c> through it.
/// </summary>
internal sealed class WorkspaceCommandRunner
{
    private const string KillNote = "[the process was killed at the time limit]";

    /// <summary>Creates a runner.</summary>
    /// <param name="workingDirectory">Where processes start (the workspace root).</param>
    /// <param name="timeLimit">How long a process may run.</param>
    /// <param name="maxOutputCharacters">How many characters of output are kept (at least 200).</param>
    /// <exception cref="ArgumentOutOfRangeException">The time limit is not positive or the output limit is below 200.</exception>
    public WorkspaceCommandRunner(string workingDirectory, TimeSpan timeLimit, int maxOutputCharacters)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workingDirectory);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeLimit, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxOutputCharacters, 200);
        WorkingDirectory = workingDirectory;
        TimeLimit = timeLimit;
        MaxOutputCharacters = maxOutputCharacters;
    }

    /// <summary>Gets the directory processes start in.</summary>
    public string WorkingDirectory { get; }

    /// <summary>Gets how long a process may run before its process tree is killed.</summary>
    public TimeSpan TimeLimit { get; }

    /// <summary>Gets how many characters of output are kept.</summary>
    public int MaxOutputCharacters { get; }

    /// <summary>Runs a process to its end or to the time limit.</summary>
    /// <param name="fileName">The program.</param>
    /// <param name="arguments">Its arguments (passed as a list: nothing is interpreted by a shell).</param>
    /// <param name="cancellationToken">Cancels the run; the process tree is killed.</param>
    /// <returns>The exit code or time-out, and the kept output.</returns>
    public async Task<CommandResult> RunAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        ArgumentNullException.ThrowIfNull(arguments);
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        var commandLine = string.Join(' ', [fileName, .. arguments]);
        var output = new BoundedOutput(MaxOutputCharacters);
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => output.AppendLine(e.Data);
        process.ErrorDataReceived += (_, e) => output.AppendLine(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeLimit);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await WaitForStreamsAsync(process).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            output.AppendLine(KillNote);
            return new CommandResult(commandLine, ExitCode: null, TimedOut: true, output.ToString(), output.TotalCharacters, output.Truncated);
        }

        return new CommandResult(commandLine, process.ExitCode, TimedOut: false, output.ToString(), output.TotalCharacters, output.Truncated);
    }

    // A killed tree closes its pipes at once; a grandchild that detached itself could hold them open, so the wait is bounded.
    private static async Task WaitForStreamsAsync(Process process)
    {
        using var drain = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await process.WaitForExitAsync(drain.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The output read so far is what the result reports.
        }
    }

    // Keeps the first half and the last half of the limit; thread-safe because stdout and stderr arrive on two threads.
    private sealed class BoundedOutput(int limit)
    {
        private readonly Lock _lock = new();
        private readonly StringBuilder _head = new();
        private readonly Queue<string> _tail = new();
        private int _tailCharacters;

        public long TotalCharacters { get; private set; }

        public bool Truncated { get; private set; }

        public void AppendLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            var text = line + "\n";
            lock (_lock)
            {
                TotalCharacters += text.Length;
                var headRoom = (limit / 2) - _head.Length;
                if (headRoom > 0 && _tail.Count == 0)
                {
                    _head.Append(text.Length <= headRoom ? text : text[..headRoom]);
                    if (text.Length <= headRoom)
                    {
                        return;
                    }

                    text = text[headRoom..];
                }

                _tail.Enqueue(text);
                _tailCharacters += text.Length;
                while (_tailCharacters > limit / 2 && _tail.Count > 0)
                {
                    var dropped = _tail.Dequeue();
                    _tailCharacters -= dropped.Length;
                    Truncated = true;
                }
            }
        }

        public override string ToString()
        {
            lock (_lock)
            {
                var kept = _head.Length + _tailCharacters;
                var note = Truncated
                    ? $"\n[output truncated: {TotalCharacters - kept} of {TotalCharacters} characters left out here; the first and last {limit / 2} characters are shown]\n"
                    : string.Empty;
                return _head + note + string.Concat(_tail);
            }
        }
    }
}
