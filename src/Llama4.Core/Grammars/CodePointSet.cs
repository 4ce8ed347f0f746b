namespace Llama4.Core.Grammars;

/// <summary>
/// A set of code points built from the items of a character class, used to find classes that can never match.
/// A model can generate the Unicode scalar values except U+0000: llama.cpp ends every token's decoded text with 0.
/// </summary>
internal sealed class CodePointSet
{
    private const uint MaxCodePoint = 0x10FFFF;
    private readonly List<(uint Low, uint High)> _ranges = [];

    /// <summary>Gets whether a single code point can ever be generated.</summary>
    /// <param name="value">The code point.</param>
    /// <returns>True for U+0001..U+10FFFF outside the surrogates.</returns>
    public static bool IsGenerable(uint value) => value is >= 1 and <= MaxCodePoint and not (>= 0xD800 and <= 0xDFFF);

    /// <summary>Adds an inclusive range.</summary>
    /// <param name="low">The first code point.</param>
    /// <param name="high">The last code point.</param>
    public void Add(uint low, uint high)
    {
        if (low <= high)
        {
            _ranges.Add((low, high));
        }
    }

    /// <summary>Gets whether the set (or its complement, when negated) contains a generable code point.</summary>
    /// <param name="negated">Whether the class is negated (<c>[^...]</c>).</param>
    /// <returns>True when the class can match some character.</returns>
    public bool MatchesGenerable(bool negated)
    {
        (uint Low, uint High)[] generable = [(1, 0xD7FF), (0xE000, MaxCodePoint)];
        if (!negated)
        {
            return _ranges.Exists(r => generable.Any(g => r.Low <= g.High && g.Low <= r.High));
        }

        // Negated: some generable code point must be outside every range.
        var sorted = _ranges.OrderBy(r => r.Low).ToList();
        foreach (var (gLow, gHigh) in generable)
        {
            ulong next = gLow;
            foreach (var (low, high) in sorted)
            {
                if (low > next)
                {
                    break;
                }

                next = Math.Max(next, (ulong)high + 1);
            }

            if (next <= gHigh)
            {
                return true;
            }
        }

        return false;
    }
}
