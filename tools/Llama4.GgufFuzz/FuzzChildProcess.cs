using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;

namespace Llama4.GgufFuzz;

/// <summary>
/// One running child: the driver hands it one file at a time and waits for its <c>done</c> line, its death (a native
/// crash) or the per-file time limit (a hang, after which the child is killed).
/// </summary>
internal sealed class FuzzChildProcess : IDisposable
{
    private const int ErrorLinesKept = 12;

    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly Queue<string> _errors = new();
    private readonly Lock _errorsLock = new();

    private FuzzChildProcess(Process process)
    {
        _process = process;
        _ = PumpOutputAsync();
        _ = PumpErrorsAsync();
    }

    public static FuzzChildProcess Start(FuzzChildCommand command)
    {
        var info = new ProcessStartInfo(command.FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in command.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // A crash must be a fast, plain exit: no dump collection, no tiered-compilation churn for a short-lived child.
        info.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        info.Environment["DOTNET_TieredPGO"] = "0";
        info.Environment["GGML_NO_BACKTRACE"] = "1";
        return new FuzzChildProcess(Process.Start(info) ?? throw new InvalidOperationException("The fuzzing child did not start."));
    }

    public async Task<FuzzFileResult> RunAsync(int index, string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        lock (_errorsLock)
        {
            _errors.Clear();
        }

        var stopwatch = Stopwatch.StartNew();
        string done = string.Create(CultureInfo.InvariantCulture, $"{FuzzChild.Prefix}done {index} ");
        try
        {
            await _process.StandardInput.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{index}\t{path}")).ConfigureAwait(false);
            await _process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            return await CrashedAsync(index, stopwatch).ConfigureAwait(false);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (await _lines.Reader.WaitToReadAsync(deadline.Token).ConfigureAwait(false))
            {
                while (_lines.Reader.TryRead(out string? line))
                {
                    if (!line.StartsWith(done, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    string rest = line[done.Length..];
                    int space = rest.IndexOf(' ', StringComparison.Ordinal);
                    string outcome = space < 0 ? rest : rest[..space];
                    string detail = space < 0 ? string.Empty : rest[(space + 1)..];
                    return new FuzzFileResult(index, Enum.Parse<FuzzOutcome>(outcome), detail, stopwatch.Elapsed);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Kill();
            return new FuzzFileResult(index, FuzzOutcome.Hang, string.Create(CultureInfo.InvariantCulture, $"no result after {timeout.TotalSeconds:F0} s{ErrorTail()}"), stopwatch.Elapsed);
        }

        return await CrashedAsync(index, stopwatch).ConfigureAwait(false);
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private async Task<FuzzFileResult> CrashedAsync(int index, Stopwatch stopwatch)
    {
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }

        string code = _process.HasExited ? Describe(_process.ExitCode) : "no exit code";
        return new FuzzFileResult(index, FuzzOutcome.Crash, code + ErrorTail(), stopwatch.Elapsed);
    }

    private static string Describe(int exitCode) => exitCode switch
    {
        134 => "exit code 134 (SIGABRT)",
        135 => "exit code 135 (SIGBUS)",
        136 => "exit code 136 (SIGFPE)",
        137 => "exit code 137 (SIGKILL)",
        139 => "exit code 139 (SIGSEGV)",
        _ => string.Create(CultureInfo.InvariantCulture, $"exit code {exitCode}"),
    };

    private string ErrorTail()
    {
        lock (_errorsLock)
        {
            return _errors.Count == 0 ? string.Empty : " | " + string.Join(" | ", _errors);
        }
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
    }

    private async Task PumpOutputAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (line.StartsWith(FuzzChild.Prefix, StringComparison.Ordinal))
            {
                _lines.Writer.TryWrite(line);
            }
        }

        _lines.Writer.TryComplete();
    }

    private async Task PumpErrorsAsync()
    {
        while (await _process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            lock (_errorsLock)
            {
                _errors.Enqueue(line.Length > 300 ? line[..300] : line);
                while (_errors.Count > ErrorLinesKept)
                {
                    _errors.Dequeue();
                }
            }
        }
    }
}
