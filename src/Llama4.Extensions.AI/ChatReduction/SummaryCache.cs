using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Llama4.Extensions.AI.ChatReduction;

/// <summary>
/// Summaries by the hash of what they replace, bounded by entry count; the oldest entries go first. When two callers
/// write the same key, the first one wins and both get its text, so a history always maps to one summary.
/// </summary>
internal sealed class SummaryCache(int capacity)
{
    private readonly ConcurrentDictionary<string, string> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    public int Count => _entries.Count;

    public bool TryGet(string key, [MaybeNullWhen(false)] out string summary) => _entries.TryGetValue(key, out summary);

    public string GetOrAdd(string key, string summary)
    {
        if (_entries.TryAdd(key, summary))
        {
            _order.Enqueue(key);
            while (_entries.Count > capacity && _order.TryDequeue(out var oldest))
            {
                _entries.TryRemove(oldest, out _);
            }

            return summary;
        }

        return _entries.TryGetValue(key, out var existing) ? existing : summary;
    }
}
