namespace Llama4.TinyModel.Tokenizer;

/// <summary>
/// Generates many valid BPE merges quickly, for vocabularies of a real model's size (Llama 4: 200,000 ordinary tokens),
/// which no corpus this small could teach. Every merge joins two existing tokens into a new, unique one, so each
/// generated token is reachable by merges of lower rank. Digit groups come first ("00".."99", then "000".."999": the
/// Llama 4 pre-tokenizer splits numbers into groups of up to three digits), then words grown breadth-first one
/// lowercase letter at a time from the stems "Ġ" (a leading space), "a".."z" and "A".."Z". Deterministic and linear in
/// the number of merges: 200,000 take well under a second.
/// </summary>
internal static class MergeGenerator
{
    /// <summary>Generates <paramref name="count"/> merges whose results are not yet in <paramref name="existing"/>.</summary>
    /// <param name="existing">The tokens so far (byte-unicode form); never changed.</param>
    /// <param name="count">How many merges to generate.</param>
    /// <param name="reserved">Texts a merge must never produce (the special tokens).</param>
    /// <returns>The merges in rank order, as (left, right) pairs.</returns>
    public static IReadOnlyList<(string Left, string Right)> Generate(IReadOnlyList<string> existing, int count, IReadOnlySet<string> reserved)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var known = new HashSet<string>(existing, StringComparer.Ordinal);
        var merges = new List<(string, string)>(count);

        bool TryAdd(string left, string right)
        {
            string merged = left + right;
            if (merges.Count < count && !reserved.Contains(merged) && known.Add(merged))
            {
                merges.Add((left, right));
            }

            return merges.Count < count;
        }

        string[] digits = [.. Enumerable.Range(0, 10).Select(d => ((char)('0' + d)).ToString())];
        foreach (string first in digits)
        {
            foreach (string second in digits)
            {
                TryAdd(first, second);
            }
        }

        foreach (string first in digits)
        {
            foreach (string second in digits)
            {
                foreach (string third in digits)
                {
                    TryAdd(first + second, third);
                }
            }
        }

        string[] letters = [.. Enumerable.Range(0, 26).Select(i => ((char)('a' + i)).ToString())];
        var stems = new Queue<string>();
        stems.Enqueue(ByteLevel.Encode((byte)' ').ToString());
        foreach (string letter in letters)
        {
            stems.Enqueue(letter);
        }

        for (char upper = 'A'; upper <= 'Z'; upper++)
        {
            stems.Enqueue(upper.ToString());
        }

        while (merges.Count < count && stems.Count > 0)
        {
            string stem = stems.Dequeue();
            foreach (string letter in letters)
            {
                string merged = stem + letter;
                if (!TryAdd(stem, letter))
                {
                    break;
                }

                // Extend every word of this length, whether it was generated now or learned earlier.
                stems.Enqueue(merged);
            }
        }

        return merges;
    }
}
