using System.Collections.Concurrent;
using LLama.Native;

namespace Llama4.Core.Inference;

/// <summary>
/// Remembers the tokens of recently tokenized text segments. Each native tokenize call costs about a millisecond
/// whatever the text's length (llama.cpp prepares the pre-tokenizer on every call), and a chat sends its whole history
/// again on every turn: the role names, separators and earlier messages are the same segments each time.
/// Bounded by total characters; when full it starts over.
/// </summary>
internal sealed class TokenizationCache(PlainTextTokenizer tokenizer, int maxCharacters = 8 * 1024 * 1024)
{
    private readonly ConcurrentDictionary<string, LLamaToken[]> _entries = new(StringComparer.Ordinal);
    private long _characters;

    public int Count => _entries.Count;

    /// <summary>Returns the tokens of <paramref name="text"/>; the array is shared and must not be modified.</summary>
    public LLamaToken[] Get(string text) => Get(text, int.MaxValue, CancellationToken.None)!;

    /// <summary>
    /// Returns the tokens of <paramref name="text"/> (the array is shared and must not be modified), or null when it
    /// has more than <paramref name="maxTokens"/> tokens.
    /// </summary>
    public LLamaToken[]? Get(string text, int maxTokens, CancellationToken cancellationToken)
    {
        if (_entries.TryGetValue(text, out var cached))
        {
            return cached.Length > maxTokens ? null : cached;
        }

        var tokens = tokenizer.Tokenize(text, maxTokens, cancellationToken);
        if (tokens is not null && text.Length <= maxCharacters / 16)
        {
            if (Interlocked.Add(ref _characters, text.Length) > maxCharacters)
            {
                _entries.Clear();
                Interlocked.Exchange(ref _characters, text.Length);
            }

            _entries.TryAdd(text, tokens);
        }

        return tokens;
    }
}
