using System.Diagnostics;

namespace Llama4.Benchmarks.Measurement;

/// <summary>Times one request against the start of its run with <see cref="Stopwatch"/> timestamps.</summary>
internal sealed class RequestTimer(long runStart)
{
    private long _firstToken;
    private long _lastToken;
    private long _firstText;

    public int Tokens { get; private set; }

    /// <summary>Records a sampled token and, when it completed some text, the first text.</summary>
    public void Token(bool producedText)
    {
        var now = Stopwatch.GetTimestamp();
        Tokens++;
        _lastToken = now;
        if (_firstToken == 0)
        {
            _firstToken = now;
        }

        if (producedText)
        {
            Text(now);
        }
    }

    /// <summary>Records text seen by the caller (the first call counts).</summary>
    public void Text(long? timestamp = null)
    {
        if (_firstText == 0)
        {
            _firstText = timestamp ?? Stopwatch.GetTimestamp();
        }
    }

    /// <summary>
    /// Ends the request; a contender that cannot see single tokens passes its own token count and decode time. The time
    /// to first token is set when <see cref="Token"/> saw one.
    /// </summary>
    public RequestResult Finish(int? outputTokens = null, TimeSpan? decodeTime = null)
    {
        var end = Stopwatch.GetTimestamp();
        var firstText = _firstText == 0 ? end : _firstText;
        return new RequestResult(
            outputTokens ?? Tokens,
            Stopwatch.GetElapsedTime(runStart, firstText),
            Stopwatch.GetElapsedTime(runStart, end),
            decodeTime ?? (_firstToken == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(_firstToken, _lastToken)))
        {
            TimeToFirstToken = _firstToken == 0 ? null : Stopwatch.GetElapsedTime(runStart, _firstToken),
        };
    }
}
