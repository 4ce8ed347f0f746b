using System.Collections.Concurrent;
using System.Collections.ObjectModel;
using System.Globalization;
using Llama4.TinyModel.Tokenizer;

namespace Llama4.TinyModel;

/// <summary>
/// The tokenizer written into a tiny model: the 256 bytes (GPT-2 byte-to-unicode form, id = byte value), then one
/// token per learned merge, then (when a larger ordinary vocabulary is asked for) one token per generated merge, then
/// <see cref="TinyModelSpecialTokens.All"/>, then (when a padded size is asked for) unused <c>[PAD{id}]</c> tokens, as
/// llama.cpp's converter pads Meta's 202,048-entry embedding. Deterministic for equal arguments.
/// </summary>
public sealed class TinyModelVocabulary
{
    /// <summary>The GGUF token type of ordinary tokens (<c>LLAMA_TOKEN_TYPE_NORMAL</c>).</summary>
    public const int NormalTokenType = 1;

    /// <summary>The GGUF token type of special tokens (<c>LLAMA_TOKEN_TYPE_CONTROL</c>).</summary>
    public const int ControlTokenType = 3;

    /// <summary>The GGUF token type of padding entries (<c>LLAMA_TOKEN_TYPE_UNUSED</c>).</summary>
    public const int UnusedTokenType = 5;

    private static readonly ConcurrentDictionary<(int Merges, int Ordinary, int Size), TinyModelVocabulary> Cache = new();

    private readonly Dictionary<string, int> _ids;

    private TinyModelVocabulary(int mergeCount, int ordinaryTokenCount, int vocabularySize)
    {
        var reserved = new HashSet<string>(TinyModelSpecialTokens.All, StringComparer.Ordinal);
        IReadOnlyList<(string Left, string Right)> learned = BpeTrainer.Train(TrainingCorpus.Text, mergeCount, reserved);

        var tokens = new List<string>(Math.Max(vocabularySize, 256 + learned.Count + TinyModelSpecialTokens.All.Count));
        var types = new List<int>(tokens.Capacity);
        for (int b = 0; b < 256; b++)
        {
            tokens.Add(ByteLevel.Encode((byte)b).ToString());
            types.Add(NormalTokenType);
        }

        var merges = new List<string>(Math.Max(0, ordinaryTokenCount - 256));
        foreach ((string left, string right) in learned)
        {
            tokens.Add(left + right);
            types.Add(NormalTokenType);
            merges.Add(left + " " + right);
        }

        if (ordinaryTokenCount > tokens.Count)
        {
            int generatedCount = ordinaryTokenCount - tokens.Count;
            foreach ((string left, string right) in MergeGenerator.Generate(tokens, generatedCount, reserved))
            {
                tokens.Add(left + right);
                types.Add(NormalTokenType);
                merges.Add(left + " " + right);
            }
        }

        BeginOfTextId = tokens.Count;
        foreach (string special in TinyModelSpecialTokens.All)
        {
            tokens.Add(special);
            types.Add(ControlTokenType);
        }

        for (int id = tokens.Count; id < vocabularySize; id++)
        {
            tokens.Add(string.Create(CultureInfo.InvariantCulture, $"[PAD{id}]"));
            types.Add(UnusedTokenType);
        }

        _ids = new Dictionary<string, int>(tokens.Count, StringComparer.Ordinal);
        for (int i = 0; i < tokens.Count; i++)
        {
            _ids.Add(tokens[i], i);
        }

        Tokens = tokens.AsReadOnly();
        TokenTypes = types.AsReadOnly();
        Merges = merges.AsReadOnly();
    }

    /// <summary>Every token text, in id order.</summary>
    public IReadOnlyList<string> Tokens { get; }

    /// <summary>The GGUF token type of each token (<see cref="NormalTokenType"/>, <see cref="ControlTokenType"/> or <see cref="UnusedTokenType"/>).</summary>
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
        return Cache.GetOrAdd((mergeCount, 0, 0), static key => new TinyModelVocabulary(key.Merges, key.Ordinary, key.Size));
    }

    /// <summary>
    /// Builds (or returns the already built) vocabulary of a model: <see cref="TinyModelOptions.MergeCount"/> learned
    /// merges, generated merges up to <see cref="TinyModelOptions.OrdinaryTokenCount"/>, the special tokens, and padding
    /// up to <see cref="TinyModelOptions.VocabularySize"/>.
    /// </summary>
    /// <param name="options">The model's options.</param>
    /// <returns>The vocabulary.</returns>
    /// <exception cref="ArgumentException">An option is invalid (the exception names it).</exception>
    public static TinyModelVocabulary Create(TinyModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return Cache.GetOrAdd(
            (options.MergeCount, options.OrdinaryTokenCount ?? 0, options.VocabularySize ?? 0),
            static key => new TinyModelVocabulary(key.Merges, key.Ordinary, key.Size));
    }

    /// <summary>The id of a token text, or -1 when the vocabulary does not contain it.</summary>
    /// <param name="token">The exact token text (byte-unicode form for ordinary tokens).</param>
    /// <returns>The id, or -1.</returns>
    public int IdOf(string token) => _ids.TryGetValue(token, out int id) ? id : -1;
}
