using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Llama4.Hosting.Tests.Hosting;

/// <summary>Keeps the log entries of one category, in order.</summary>
internal sealed class RecordingLoggerProvider(string category) : ILoggerProvider
{
    private readonly ConcurrentQueue<(EventId EventId, LogLevel Level, string Message)> _entries = new();

    public IReadOnlyList<(EventId EventId, LogLevel Level, string Message)> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName == category ? _entries : null);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<(EventId EventId, LogLevel Level, string Message)>? entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => entries is not null;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries?.Enqueue((eventId, logLevel, formatter(state, exception)));
    }
}
