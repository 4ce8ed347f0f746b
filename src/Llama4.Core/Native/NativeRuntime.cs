using System.Text;
using LLama.Native;
using Microsoft.Extensions.Logging;

namespace Llama4.Core.Native;

/// <summary>
/// Configures LLamaSharp's native library once per process, before any other native call: the backend choice and the
/// log callback that routes llama.cpp's log to <see cref="ILogger"/>. Keeps the last error lines so a failed load can
/// say why.
/// </summary>
internal static partial class NativeRuntime
{
    private const int RecentErrorCapacity = 16;
    private static readonly Lock Sync = new();
    private static readonly Queue<string> RecentErrors = new();
    private static readonly StringBuilder PendingLine = new();
    private static Llama4Backend? _configuredBackend;
    private static LLamaLogLevel _pendingLevel = LLamaLogLevel.Info;
    private static ILogger? _logger;

    /// <summary>Gets the backend the process was configured with, or null before the first engine loads.</summary>
    public static Llama4Backend? ConfiguredBackend
    {
        get
        {
            lock (Sync)
            {
                return _configuredBackend;
            }
        }
    }

    /// <summary>Applies the backend choice and the log route. The first call decides the backend for the process.</summary>
    public static void EnsureConfigured(Llama4Backend backend, ILogger logger)
    {
        lock (Sync)
        {
            _logger = logger;
            if (_configuredBackend is { } existing)
            {
                if (existing != backend)
                {
                    LogBackendAlreadyChosen(logger, backend, existing);
                }

                return;
            }

            _configuredBackend = backend;
            if (NativeLibraryConfig.LLama.LibraryHasLoaded)
            {
                LogLibraryLoadedElsewhere(logger, backend);
                NativeLogConfig.llama_log_set(OnNativeLog);
                return;
            }

            NativeLibraryConfig.All
                .WithCuda(backend != Llama4Backend.Cpu)
                .WithVulkan(false)
                .WithAutoFallback(backend == Llama4Backend.Auto)
                .WithLogCallback(OnNativeLog);
        }
    }

    /// <summary>Clears the remembered error lines (called before a load so that only its own errors are reported).</summary>
    public static void ClearRecentErrors()
    {
        lock (Sync)
        {
            RecentErrors.Clear();
        }
    }

    /// <summary>Returns llama.cpp's most recent error and warning lines, oldest first.</summary>
    public static string RecentErrorText()
    {
        lock (Sync)
        {
            return string.Join(Environment.NewLine, RecentErrors);
        }
    }

    private static void OnNativeLog(LLamaLogLevel level, string message)
    {
        lock (Sync)
        {
            if (level != LLamaLogLevel.Continue)
            {
                _pendingLevel = level;
            }

            PendingLine.Append(message);
            if (!message.EndsWith('\n'))
            {
                return;
            }

            var line = PendingLine.ToString().TrimEnd('\n', '\r');
            PendingLine.Clear();
            if (line.Length == 0)
            {
                return;
            }

            if (_pendingLevel is LLamaLogLevel.Error or LLamaLogLevel.Warning)
            {
                RecentErrors.Enqueue(line);
                while (RecentErrors.Count > RecentErrorCapacity)
                {
                    RecentErrors.Dequeue();
                }
            }

            if (_logger is { } logger)
            {
                // llama.cpp logs hundreds of informational lines per load: they go to Debug, warnings and errors stay as they are.
                var mapped = _pendingLevel switch
                {
                    LLamaLogLevel.Error => LogLevel.Error,
                    LLamaLogLevel.Warning => LogLevel.Warning,
                    LLamaLogLevel.Debug => LogLevel.Trace,
                    _ => LogLevel.Debug,
                };
                LogNative(logger, mapped, line);
            }
        }
    }

    [LoggerMessage(EventId = 1, Message = "llama.cpp: {Line}")]
    private static partial void LogNative(ILogger logger, LogLevel level, string line);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Backend {Requested} was requested, but this process already configured llama.cpp with backend {Existing}; the native backend is chosen once per process.")]
    private static partial void LogBackendAlreadyChosen(ILogger logger, Llama4Backend requested, Llama4Backend existing);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "LLamaSharp's native library was loaded before the first Llama 4 engine, so backend {Requested} could not be applied; create the engine before any other LLamaSharp call.")]
    private static partial void LogLibraryLoadedElsewhere(ILogger logger, Llama4Backend requested);
}
