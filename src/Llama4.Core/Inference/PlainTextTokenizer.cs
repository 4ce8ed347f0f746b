using LLama.Native;

namespace Llama4.Core.Inference;

/// <summary>
/// Tokenizes plain text with llama.cpp in pieces cut by <see cref="PlainTextSplitter"/>: the same token ids as one native
/// call for ordinary text, no pre-tokenizer word long enough to overflow the native stack, and long texts that stop as
/// soon as they exceed a token limit and can be cancelled between pieces.
/// </summary>
/// <param name="native">Tokenizes one piece as plain text without BOS (llama.cpp).</param>
internal sealed class PlainTextTokenizer(Func<string, LLamaToken[]> native)
{
    /// <summary>Tokenizes <paramref name="text"/>; null when it has more than <paramref name="maxTokens"/> tokens.</summary>
    /// <param name="text">The text.</param>
    /// <param name="maxTokens">The most tokens the caller can use; tokenization stops soon after it is passed.</param>
    /// <param name="cancellationToken">Checked between pieces.</param>
    /// <returns>The tokens, or null when there are more than <paramref name="maxTokens"/>.</returns>
    public LLamaToken[]? Tokenize(string text, int maxTokens, CancellationToken cancellationToken)
    {
        if (text.Length <= PlainTextSplitter.MaxRun)
        {
            var tokens = native(text);
            return tokens.Length > maxTokens ? null : tokens;
        }

        var pieces = PlainTextSplitter.Split(text);
        if (pieces.Count == 1)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var tokens = native(text);
            return tokens.Length > maxTokens ? null : tokens;
        }

        var all = new List<LLamaToken>();
        foreach (var (start, length) in pieces)
        {
            cancellationToken.ThrowIfCancellationRequested();
            all.AddRange(native(text.Substring(start, length)));
            if (all.Count > maxTokens)
            {
                return null;
            }
        }

        return [.. all];
    }
}
