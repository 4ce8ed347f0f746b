using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Llama4.Core.Tests.Memory;

/// <summary>
/// An <see cref="ILoggerFactory"/> that keeps every message, for reading the buffer sizes llama.cpp logs while an engine
/// loads (its log reaches the factory passed to <see cref="Llama4Engine.LoadAsync"/>).
/// </summary>
internal sealed partial class NativeLogCapture : ILoggerFactory, ILogger
{
    private readonly List<string> _lines = [];

    /// <summary>Gets a snapshot of the messages so far.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        lock (_lines)
        {
            _lines.Add(formatter(state, exception));
        }
    }

    /// <summary>The first group of every line matching <paramref name="pattern"/>, in order.</summary>
    public IReadOnlyList<string> Matches(string pattern) =>
        [.. Lines.Select(l => Regex.Match(l, pattern, RegexOptions.CultureInvariant)).Where(m => m.Success).Select(m => m.Groups[1].Value)];

    /// <summary>The single value of a line matching <paramref name="pattern"/>, as an integer.</summary>
    public long SingleInteger(string pattern) => long.Parse(Assert.Single(Matches(pattern)), CultureInfo.InvariantCulture);

    /// <summary>
    /// The per-cache lines of llama.cpp's KV cache, in creation order (global, then chunked):
    /// <c>size = 7.41 MiB ( 20224 cells, 1 layers, 3/1 seqs), K (f32): 4.94 MiB, V (bf16): 2.47 MiB</c>.
    /// </summary>
    public IReadOnlyList<KvCacheLine> KvCacheLines() =>
        [.. Lines.Select(l => KvCacheLinePattern().Match(l)).Where(m => m.Success).Select(m => new KvCacheLine(
            decimal.Parse(m.Groups["total"].Value, CultureInfo.InvariantCulture),
            int.Parse(m.Groups["cells"].Value, CultureInfo.InvariantCulture),
            int.Parse(m.Groups["layers"].Value, CultureInfo.InvariantCulture),
            int.Parse(m.Groups["streams"].Value, CultureInfo.InvariantCulture),
            m.Groups["ktype"].Value,
            decimal.Parse(m.Groups["k"].Value, CultureInfo.InvariantCulture),
            m.Groups["vtype"].Value,
            decimal.Parse(m.Groups["v"].Value, CultureInfo.InvariantCulture)))];

    [GeneratedRegex(@"llama_kv_cache: size =\s*(?<total>[\d.]+) MiB \(\s*(?<cells>\d+) cells,\s*(?<layers>\d+) layers,\s*\d+/(?<streams>\d+) seqs\), K \((?<ktype>\w+)\):\s*(?<k>[\d.]+) MiB, V \((?<vtype>\w+)\):\s*(?<v>[\d.]+) MiB", RegexOptions.CultureInvariant)]
    private static partial Regex KvCacheLinePattern();
}
