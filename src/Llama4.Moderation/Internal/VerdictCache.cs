using System.Security.Cryptography;
using System.Text;

namespace Llama4.Moderation.Internal;

/// <summary>
/// A small thread-safe LRU cache of verdicts keyed by a SHA-256 hash of the source, tool name and text (the text itself
/// is never kept).
/// </summary>
internal sealed class VerdictCache(int capacity)
{
    private readonly Dictionary<string, LinkedListNode<KeyValuePair<string, ModerationVerdict>>> _map = new(StringComparer.Ordinal);
    private readonly LinkedList<KeyValuePair<string, ModerationVerdict>> _order = new();
    private readonly Lock _lock = new();

    public static string KeyOf(ModerationRequest request)
    {
        var text = string.Concat(TelemetryNames.Of(request.Source), "\0", request.ToolName ?? string.Empty, "\0", request.Text);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(text));
        foreach (var image in request.Images)
        {
            // A verdict on text alone must not answer for the same text with an image (or with another image).
            hash.AppendData("\0image\0"u8);
            hash.AppendData(Encoding.UTF8.GetBytes(image.MediaType));
            hash.AppendData(SHA256.HashData(image.Data.Span));
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    public bool TryGet(string key, out ModerationVerdict verdict)
    {
        lock (_lock)
        {
            if (_map.TryGetValue(key, out var node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                verdict = node.Value.Value;
                return true;
            }
        }

        verdict = ModerationVerdict.Allowed;
        return false;
    }

    public void Add(string key, ModerationVerdict verdict)
    {
        lock (_lock)
        {
            if (_map.TryGetValue(key, out var existing))
            {
                _order.Remove(existing);
                _map.Remove(key);
            }

            _map[key] = _order.AddFirst(new KeyValuePair<string, ModerationVerdict>(key, verdict));
            while (_map.Count > capacity && _order.Last is { } last)
            {
                _order.RemoveLast();
                _map.Remove(last.Value.Key);
            }
        }
    }
}
