using System.Text;

namespace Llama4.Core.Inference;

/// <summary>
/// Finds stop sequences in streamed text. Text that could still be the start of a stop sequence is held back until
/// the next piece decides it; a matched stop sequence and everything after it are never released.
/// </summary>
internal sealed class StopSequenceMatcher
{
    private readonly string[] _stopSequences;
    private readonly int _longest;
    private readonly StringBuilder _held = new();

    public StopSequenceMatcher(IReadOnlyList<string> stopSequences)
    {
        _stopSequences = stopSequences.Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        _longest = _stopSequences.Length == 0 ? 0 : _stopSequences.Max(s => s.Length);
    }

    /// <summary>Gets a value indicating whether a stop sequence has matched.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Adds generated text and returns the text that can be released now.</summary>
    public string Append(string text)
    {
        if (Stopped)
        {
            return string.Empty;
        }

        if (_longest == 0)
        {
            return text;
        }

        _held.Append(text);
        var held = _held.ToString();

        var stopAt = -1;
        foreach (var stop in _stopSequences)
        {
            var index = held.IndexOf(stop, StringComparison.Ordinal);
            if (index >= 0 && (stopAt < 0 || index < stopAt))
            {
                stopAt = index;
            }
        }

        if (stopAt >= 0)
        {
            Stopped = true;
            _held.Clear();
            return held[..stopAt];
        }

        // Keep the longest suffix that is a proper prefix of some stop sequence.
        var keep = 0;
        var maxKeep = Math.Min(held.Length, _longest - 1);
        for (var length = maxKeep; length > 0; length--)
        {
            if (IsPrefixOfAnyStop(held.AsSpan(held.Length - length)))
            {
                keep = length;
                break;
            }
        }

        _held.Clear();
        _held.Append(held, held.Length - keep, keep);
        return held[..^keep];
    }

    private bool IsPrefixOfAnyStop(ReadOnlySpan<char> text)
    {
        foreach (var stop in _stopSequences)
        {
            if (stop.AsSpan().StartsWith(text, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Releases whatever is still held back (the generation ended for another reason).</summary>
    public string Flush()
    {
        var rest = Stopped ? string.Empty : _held.ToString();
        _held.Clear();
        return rest;
    }
}
