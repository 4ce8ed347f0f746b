namespace Llama4.Core.Inference.Sampling;

/// <summary>
/// The last <c>N</c> sampled tokens of one sequence and how often each occurs among them, for the repetition,
/// frequency and presence penalties. Applying them touches only the distinct tokens in the window (at most N), never
/// the whole vocabulary. The ring grows by doubling up to N, so a window of N costs memory only for the tokens a
/// request actually samples.
/// </summary>
internal sealed class PenaltyWindow
{
    private readonly int _capacity;
    private readonly Dictionary<int, int> _counts = [];
    private int[] _ring;
    private int _start;
    private int _count;

    public PenaltyWindow(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _capacity = capacity;
        _ring = new int[Math.Min(capacity, 64)];
    }

    /// <summary>Gets the number of tokens in the window.</summary>
    public int Count => _count;

    /// <summary>Gets the distinct tokens in the window and how often each occurs (for tests).</summary>
    public IReadOnlyDictionary<int, int> Counts => _counts;

    /// <summary>Adds a sampled token; the oldest leaves once the window is full.</summary>
    public void Accept(int token)
    {
        if (_capacity == 0)
        {
            return;
        }

        if (_count == _capacity)
        {
            var oldest = _ring[_start];
            var left = _counts[oldest] - 1;
            if (left == 0)
            {
                _counts.Remove(oldest);
            }
            else
            {
                _counts[oldest] = left;
            }

            _ring[_start] = token;
            _start = (_start + 1) % _capacity;
        }
        else
        {
            if (_count == _ring.Length)
            {
                Grow();
            }

            _ring[(_start + _count) % _ring.Length] = token;
            _count++;
        }

        _counts[token] = _counts.GetValueOrDefault(token) + 1;
    }

    /// <summary>
    /// Penalises the logits of the tokens in the window, as llama.cpp's penalties sampler does: a positive logit is
    /// divided by the repetition penalty and a negative one multiplied by it, then
    /// <c>count * frequency + presence</c> is subtracted.
    /// </summary>
    public void Apply(Span<float> logits, float repeat, float frequency, float presence)
    {
        foreach (var (token, count) in _counts)
        {
            if ((uint)token >= (uint)logits.Length)
            {
                continue;
            }

            ref var logit = ref logits[token];
            logit = logit <= 0 ? logit * repeat : logit / repeat;
            logit -= (count * frequency) + presence;
        }
    }

    private void Grow()
    {
        // The ring grows only before it is full, while the oldest token still sits at index 0.
        var larger = new int[Math.Min(_capacity, _ring.Length * 2)];
        for (var i = 0; i < _count; i++)
        {
            larger[i] = _ring[(_start + i) % _ring.Length];
        }

        _ring = larger;
        _start = 0;
    }
}
