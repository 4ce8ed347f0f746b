using System.Text;
using Microsoft.Extensions.AI;

namespace Llama4.Moderation.Internal;

/// <summary>
/// Moderates a stream of assistant text in overlapping windows (see <see cref="StreamingModerationOptions"/>): text is
/// released only after a check has seen it, each check also sees the last <c>OverlapCharacters</c> released
/// characters, and with hold-back on the last <c>OverlapCharacters</c> checked characters wait for the next check.
/// Not thread-safe: one instance per stream.
/// </summary>
internal sealed class StreamingTextModeration(ModerationGuard guard, IReadOnlyList<ChatMessage> history)
{
    private readonly StreamingModerationOptions _options = guard.Options.Streaming;
    private readonly StringBuilder _pending = new();
    private string _releasedTail = string.Empty;
    private int _unchecked;

    public ValueTask<StreamStep> AppendAsync(string text, CancellationToken cancellationToken)
    {
        _pending.Append(text);
        _unchecked += text.Length;
        return _unchecked < _options.CheckIntervalCharacters
            ? ValueTask.FromResult(StreamStep.Nothing)
            : CheckAsync(final: false, cancellationToken);
    }

    /// <summary>Checks and releases everything still pending (at the end of the text, or before a tool call).</summary>
    public ValueTask<StreamStep> FlushAsync(CancellationToken cancellationToken) =>
        _pending.Length == 0 ? ValueTask.FromResult(StreamStep.Nothing) : CheckAsync(final: true, cancellationToken);

    private async ValueTask<StreamStep> CheckAsync(bool final, CancellationToken cancellationToken)
    {
        var tail = _releasedTail;
        var window = tail + _pending.ToString();
        var verdict = await guard.CheckAsync(new ModerationRequest(window, ModerationSource.Assistant) { History = history }, cancellationToken).ConfigureAwait(false);
        if (verdict.Action == ModerationAction.Block)
        {
            return new StreamStep(string.Empty, verdict);
        }

        var pending = _pending.ToString();
        if (verdict.Action == ModerationAction.Redact)
        {
            var redacted = verdict.RedactedText!;
            if (redacted.StartsWith(tail, StringComparison.Ordinal))
            {
                pending = redacted[tail.Length..];
            }
            else
            {
                // A match reached back into text already shown (longer than the overlap, or hold-back is off): what
                // was shown stays shown, the rest of the match is replaced from where the texts differ.
                pending = redacted[CommonPrefixLength(window, redacted)..];
            }
        }

        var cut = final || !_options.HoldBack ? pending.Length : Math.Max(0, pending.Length - _options.OverlapCharacters);
        if (cut > 0 && cut < pending.Length && char.IsHighSurrogate(pending[cut - 1]))
        {
            cut--;
        }

        var release = pending[..cut];
        _pending.Clear().Append(pending, cut, pending.Length - cut);
        _unchecked = 0;
        var shown = tail + release;
        var start = Math.Max(0, shown.Length - _options.OverlapCharacters);
        if (start > 0 && start < shown.Length && char.IsLowSurrogate(shown[start]))
        {
            start++;
        }

        _releasedTail = shown[start..];
        return new StreamStep(release, null);
    }

    private static int CommonPrefixLength(string a, string b)
    {
        var length = Math.Min(a.Length, b.Length);
        var i = 0;
        while (i < length && a[i] == b[i])
        {
            i++;
        }

        return i;
    }
}
