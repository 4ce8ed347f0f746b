using System.Collections.Concurrent;
using System.Collections.ObjectModel;
using Llama4.TinyModel.Tokenizer;

namespace Llama4.TinyModel;

/// <summary>
/// The tokenizer written into a tiny model: the 256 bytes (GPT-2 byte-to-unicode form, id = byte value), then one
/// token per learned merge, then <see cref="TinyModelSpecialTokens.All"/>. Deterministic for a given merge count.
/// </summary>
public sealed class TinyModelVocabulary
{
    /// <summary>The GGUF token type of ordinary tokens (<c>LLAMA_TOKEN_TYPE_NORMAL</c>).</summary>
    public const int NormalTokenType = 1;

    /// <summary>The GGUF token type of special tokens (<c>LLAMA_TOKEN_TYPE_CONTROL</c>).</summary>
    public const int ControlTokenType = 3;

    private static readonly ConcurrentDictionary<int, TinyModelVocabulary> Cache = new();

    private readonly Dictionary<string, int> _ids;

    private TinyModelVocabulary(int mergeCount)
    {
        var reserved = new HashSet<string>(TinyModelSpecialTokens.All, StringComparer.Ordinal);
        IReadOnlyList<(string Left, string Right)> merges = BpeTrainer.Train(TrainingCorpus.Text, mergeCount, reserved);

        var tokens = new List<string>(256 + merges.Count + TinyModelSpecialTokens.All.Count);
        var types = new List<int>(tokens.Capacity);
        for (int b = 0; b < 256; b++)
        {
            tokens.Add(ByteLevel.Encode((byte)b).ToString());
            types.Add(NormalTokenType);
        }

        foreach ((string left, string right) in merges)
        {
            tokens.Add(left + right);
            types.Add(NormalTokenType);
        }

        BeginOfTextId = tokens.Count;
        foreach (string special in TinyModelSpecialTokens.All)
        {
            tokens.Add(special);
            types.Add(ControlTokenType);
        }

        _ids = new Dictionary<string, int>(tokens.Count, StringComparer.Ordinal);
        for (int i = 0; i < tokens.Count; i++)
        {
            _ids.Add(tokens[i], i);
        }

        Tokens = tokens.AsReadOnly();
        TokenTypes = types.AsReadOnly();
        Merges = new ReadOnlyCollection<string>(merges.Select(m => m.Left + " " + m.Right).ToArray());
    }

    /// <summary>Every token text, in id order.</summary>
    public IReadOnlyList<string> Tokens { get; }

    /// <summary>The GGUF token type of each token (<see cref="NormalTokenType"/> or <see cref="ControlTokenType"/>).</summary>
    public IReadOnlyList<int> TokenTypes { get; }

    /// <summary>The merges in rank order, as GGUF stores them: <c>"left right"</c> in byte-unicode form.</summary>
    public IReadOnlyList<string> Merges { get; }

    /// <summary>The id of <c>&lt;|begin_of_text|&gt;</c>, the first special token.</summary>
    public int BeginOfTextId { get; }

    /// <summary>The id of <c>&lt;|eot|&gt;</c> (also written as the EOS id).</summary>
    public int EndOfTurnId => BeginOfTextId + TinyModelSpecialTokens.OffsetOf(TinyModelSpecialTokens.EndOfTurn);

    /// <summary>The id of <c>&lt;|eom|&gt;</c>.</summary>
    public int EndOfMessageId => BeginOfTextId + TinyModelSpecialTokens.OffsetOf(TinyModelSpecialTokens.EndOfMessage);

    /// <summary>The id of <c>&lt;|finetune_right_pad|&gt;</c>, the padding token.</summary>
    public int PaddingId => BeginOfTextId + TinyModelSpecialTokens.OffsetOf(TinyModelSpecialTokens.FinetuneRightPad);

    /// <summary>Builds (or returns the already built) vocabulary with <paramref name="mergeCount"/> learned merges.</summary>
    /// <param name="mergeCount">The number of merges, as in <see cref="TinyModelOptions.MergeCount"/>.</param>
    /// <returns>The vocabulary.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The count is negative or more than the corpus supports.</exception>
    public static TinyModelVocabulary Create(int mergeCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(mergeCount);
        return Cache.GetOrAdd(mergeCount, static count => new TinyModelVocabulary(count));
    }

    /// <summary>The id of a token text, or -1 when the vocabulary does not contain it.</summary>
    /// <param name="token">The exact token text (byte-unicode form for ordinary tokens).</param>
    /// <returns>The id, or -1.</returns>
    public int IdOf(string token) => _ids.TryGetValue(token, out int id) ? id : -1;
}
