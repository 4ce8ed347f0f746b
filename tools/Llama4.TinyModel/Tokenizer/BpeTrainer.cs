using System.Globalization;
using System.Text.RegularExpressions;

namespace Llama4.TinyModel.Tokenizer;

/// <summary>
/// Learns byte-level BPE merges from a corpus, deterministically: words are pre-split like GPT-2 (a leading space
/// stays with the word), pairs are ranked by frequency, ties broken by ordinal order, and a pair whose result already
/// is a token is skipped so that every merge adds a new, unique token.
/// </summary>
internal static partial class BpeTrainer
{
    /// <summary>Learns <paramref name="mergeCount"/> merges; returns them as (left, right) pairs in rank order.</summary>
    /// <param name="corpus">The training text.</param>
    /// <param name="mergeCount">How many merges to learn.</param>
    /// <param name="reserved">Token texts that merges must never produce (the special tokens).</param>
    /// <exception cref="ArgumentOutOfRangeException">The corpus cannot supply that many merges.</exception>
    public static IReadOnlyList<(string Left, string Right)> Train(string corpus, int mergeCount, IReadOnlySet<string> reserved)
    {
        var frequencies = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (Match match in PreTokenizer().Matches(corpus))
        {
            string word = ByteLevel.Encode(match.Value);
            frequencies[word] = frequencies.GetValueOrDefault(word) + 1;
        }

        var words = frequencies
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => (Symbols: pair.Key.Select(c => c.ToString()).ToList(), Count: pair.Value))
            .ToList();

        var vocabulary = new HashSet<string>(StringComparer.Ordinal);
        for (int b = 0; b < 256; b++)
        {
            vocabulary.Add(ByteLevel.Encode((byte)b).ToString());
        }

        var merges = new List<(string, string)>(mergeCount);
        var pairCounts = new Dictionary<(string, string), long>();
        while (merges.Count < mergeCount)
        {
            pairCounts.Clear();
            foreach ((List<string> symbols, int count) in words)
            {
                for (int i = 0; i + 1 < symbols.Count; i++)
                {
                    var pair = (symbols[i], symbols[i + 1]);
                    pairCounts[pair] = pairCounts.GetValueOrDefault(pair) + count;
                }
            }

            (string Left, string Right)? best = null;
            long bestCount = 0;
            foreach (KeyValuePair<(string Left, string Right), long> entry in pairCounts)
            {
                string merged = entry.Key.Left + entry.Key.Right;
                if (vocabulary.Contains(merged) || reserved.Contains(merged))
                {
                    continue;
                }

                if (best is null || entry.Value > bestCount || (entry.Value == bestCount && ComparePairs(entry.Key, best.Value) < 0))
                {
                    best = entry.Key;
                    bestCount = entry.Value;
                }
            }

            if (best is null)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(mergeCount),
                    mergeCount,
                    string.Create(CultureInfo.InvariantCulture, $"The embedded training corpus supports only {merges.Count} merges."));
            }

            (string left, string right) = best.Value;
            string result = left + right;
            merges.Add((left, right));
            vocabulary.Add(result);
            foreach ((List<string> symbols, _) in words)
            {
                for (int i = 0; i + 1 < symbols.Count; i++)
                {
                    if (string.Equals(symbols[i], left, StringComparison.Ordinal) && string.Equals(symbols[i + 1], right, StringComparison.Ordinal))
                    {
                        symbols[i] = result;
                        symbols.RemoveAt(i + 1);
                    }
                }
            }
        }

        return merges;
    }

    private static int ComparePairs((string Left, string Right) a, (string Left, string Right) b)
    {
        int left = string.CompareOrdinal(a.Left, b.Left);
        return left != 0 ? left : string.CompareOrdinal(a.Right, b.Right);
    }

    // GPT-2's pre-tokenizer: contractions, letters, digits and punctuation runs each take one optional leading space.
    [GeneratedRegex(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+", RegexOptions.CultureInvariant)]
    private static partial Regex PreTokenizer();
}
