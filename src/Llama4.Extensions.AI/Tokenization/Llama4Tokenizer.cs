using System.Buffers;
using System.Text;
using Llama4.Core;
using Llama4.Extensions.AI.Tokenization;
using Microsoft.ML.Tokenizers;

namespace Llama4.Extensions.AI;

/// <summary>
/// A <see cref="Tokenizer"/> (Microsoft.ML.Tokenizers) over a loaded Llama 4 model's vocabulary: token ids and counts
/// are exactly those of the engine's own tokenizer (llama.cpp), so libraries that count with a <see cref="Tokenizer"/>
/// (Agent Framework's compaction, text chunkers, budget checks) count real Llama 4 tokens. Thread-safe.
/// </summary>
/// <remarks>
/// <para>
/// <b>Special tokens.</b> By default text is tokenized as plain text, as the engine tokenizes message content: a string
/// such as <c>&lt;|eot|&gt;</c> in the text stays text (several ordinary tokens), so counts match what user, tool and
/// document text costs in a prompt and nobody can forge a turn. Create the tokenizer with
/// <c>parseSpecialTokens: true</c> to tokenize a rendered prompt (for example <c>Llama4Prompt.ToString()</c>): then the
/// texts of the vocabulary's control tokens become those tokens, as llama.cpp does with special-token parsing on.
/// <see cref="Decode(IEnumerable{int})"/> renders every control token as its text, so a rendered prompt round-trips
/// (the engine's <c>Detokenize</c> renders some, such as <c>&lt;|begin_of_text|&gt;</c> and the reserved tokens, as
/// nothing); bytes of an unfinished character at the end decode to U+FFFD.
/// </para>
/// <para>
/// <b>Offsets.</b> <see cref="EncodedToken.Offset"/> is the range of characters the token's bytes come from. Llama 4's
/// byte-level tokens can split one character's UTF-8 bytes (an emoji, some CJK); every token holding part of a
/// character gets that whole character's range, so such neighbouring tokens share it. <see cref="EncodedToken.Value"/>
/// is the text at the offset. Truncation (<c>maxTokenCount</c>) and <c>GetIndexByTokenCount</c> never cut inside a
/// character: they stop at the last token boundary that is also a character boundary.
/// </para>
/// <para>
/// There is no normalizer or pre-tokenizer object: llama.cpp applies Llama 4's pre-tokenization itself, so the
/// <c>considerPreTokenization</c> and <c>considerNormalization</c> flags have nothing to switch and the normalized
/// text is always <see langword="null"/>. The vocabulary is read once, from the engine's model file, when the
/// tokenizer is created.
/// </para>
/// </remarks>
public sealed class Llama4Tokenizer : Tokenizer
{
    private readonly Llama4Engine _engine;
    private readonly Llama4Vocabulary _vocabulary;

    /// <summary>Creates a tokenizer over an engine's vocabulary.</summary>
    /// <param name="engine">The loaded engine; it stays owned by the caller and must outlive the tokenizer's use.</param>
    /// <param name="parseSpecialTokens">
    /// Whether the texts of control tokens (<c>&lt;|begin_of_text|&gt;</c>, <c>&lt;|eot|&gt;</c>, ...) in the input become
    /// those tokens. Default <see langword="false"/>: all input is plain text, as message content is in a prompt.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="engine"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The model file no longer matches the loaded model.</exception>
    public Llama4Tokenizer(Llama4Engine engine, bool parseSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(engine);
        _engine = engine;
        _vocabulary = Llama4Vocabulary.Load(engine);
        ParseSpecialTokens = parseSpecialTokens;
    }

    /// <summary>Gets whether control-token texts in the input become control tokens.</summary>
    public bool ParseSpecialTokens { get; }

    /// <summary>Gets the number of tokens in the model's vocabulary (valid ids are 0 to this minus one).</summary>
    public int VocabularySize => _vocabulary.Count;

    /// <inheritdoc />
    public override string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var bytes = new ArrayBufferWriter<byte>();
        foreach (var id in ids)
        {
            bytes.Write(Piece(id));
        }

        return Encoding.UTF8.GetString(bytes.WrittenSpan);
    }

    /// <inheritdoc />
    public override OperationStatus Decode(IEnumerable<int> ids, Span<char> destination, out int idsConsumed, out int charsWritten)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var decoder = Encoding.UTF8.GetDecoder();
        idsConsumed = 0;
        charsWritten = 0;
        var written = 0;
        var consumed = 0;
        var pending = 0; // continuation bytes still expected by the last UTF-8 sequence
        foreach (var id in ids)
        {
            if ((uint)id >= (uint)_vocabulary.Count)
            {
                return OperationStatus.InvalidData;
            }

            var piece = _vocabulary.Pieces[id];
            var count = decoder.GetCharCount(piece, flush: false);
            if (written + count > destination.Length)
            {
                return OperationStatus.DestinationTooSmall;
            }

            written += decoder.GetChars(piece, destination[written..], flush: false);
            consumed++;
            pending = PendingAfter(piece, pending);
            if (pending == 0)
            {
                // Every byte so far is written as characters: a caller can resume decoding after this id.
                idsConsumed = consumed;
                charsWritten = written;
            }
        }

        var tail = decoder.GetCharCount([], flush: true);
        if (written + tail > destination.Length)
        {
            return OperationStatus.DestinationTooSmall;
        }

        written += decoder.GetChars([], destination[written..], flush: true);
        idsConsumed = consumed;
        charsWritten = written;
        return OperationStatus.Done;
    }

    /// <inheritdoc />
    protected override EncodeResults<EncodedToken> EncodeToTokens(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings)
    {
        var input = text is null ? textSpan : text.AsSpan();
        var encoded = Encode(input, text, settings.MaxTokenCount);
        var tokens = new List<EncodedToken>(encoded.Count);
        var source = text ?? (encoded.Count > 0 ? input.ToString() : string.Empty);
        for (var i = 0; i < encoded.Count; i++)
        {
            var (start, end) = (encoded.Starts[i], encoded.Ends[i]);
            tokens.Add(new EncodedToken(encoded.Ids[i], source[start..end], new Range(start, end)));
        }

        return new EncodeResults<EncodedToken> { Tokens = tokens, NormalizedText = null, CharsConsumed = encoded.CharsConsumed };
    }

    /// <inheritdoc />
    protected override EncodeResults<int> EncodeToIds(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings)
    {
        var input = text is null ? textSpan : text.AsSpan();
        var encoded = Encode(input, text, settings.MaxTokenCount);
        return new EncodeResults<int> { Tokens = encoded.Ids.Take(encoded.Count).ToArray(), NormalizedText = null, CharsConsumed = encoded.CharsConsumed };
    }

    /// <inheritdoc />
    protected override int CountTokens(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings)
    {
        CheckMaxTokenCount(settings.MaxTokenCount);
        if (!ParseSpecialTokens && settings.MaxTokenCount == int.MaxValue)
        {
            // The engine's own count (and its cache of repeated texts): no offsets are needed.
            return _engine.CountTokens(text ?? textSpan.ToString());
        }

        var input = text is null ? textSpan : text.AsSpan();
        return Encode(input, text, settings.MaxTokenCount).Count;
    }

    /// <inheritdoc />
    protected override int GetIndexByTokenCount(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings, bool fromEnd, out string? normalizedText, out int tokenCount)
    {
        normalizedText = null;
        CheckMaxTokenCount(settings.MaxTokenCount);
        var input = text is null ? textSpan : text.AsSpan();
        if (!fromEnd)
        {
            var encoded = Encode(input, text, settings.MaxTokenCount);
            tokenCount = encoded.Count;
            return encoded.CharsConsumed;
        }

        var all = Encode(input, text, int.MaxValue);
        var first = Math.Max(0, all.Count - settings.MaxTokenCount);
        while (first < all.Count && !all.CleanStart[first])
        {
            first++;
        }

        tokenCount = all.Count - first;
        return first < all.Count ? all.Starts[first] : input.Length;
    }

    private static void CheckMaxTokenCount(int maxTokenCount)
    {
        if (maxTokenCount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxTokenCount), maxTokenCount, "The maximum token count must be positive.");
        }
    }

    // Continuation bytes still missing after `piece`, given those missing before it.
    private static int PendingAfter(byte[] piece, int pending)
    {
        foreach (var b in piece)
        {
            if (pending > 0 && (b & 0xC0) == 0x80)
            {
                pending--;
            }
            else
            {
                pending = b switch
                {
                    >= 0xF0 and <= 0xF4 => 3,
                    >= 0xE0 and <= 0xEF => 2,
                    >= 0xC2 and <= 0xDF => 1,
                    _ => 0,
                };
            }
        }

        return pending;
    }

    private byte[] Piece(int id) => (uint)id < (uint)_vocabulary.Count
        ? _vocabulary.Pieces[id]
        : throw new ArgumentOutOfRangeException(nameof(id), id, $"Token id {id} is not in the model's vocabulary (0 to {_vocabulary.Count - 1}).");

    private Encoded Encode(ReadOnlySpan<char> text, string? textString, int maxTokenCount)
    {
        CheckMaxTokenCount(maxTokenCount);
        var result = new Encoded();
        if (text.IsEmpty)
        {
            return result;
        }

        var source = textString ?? text.ToString();
        foreach (var (start, length, specialId) in Fragments(source))
        {
            if (specialId >= 0)
            {
                result.Add(specialId, start, start + length, cleanStart: true, cleanEnd: true);
            }
            else
            {
                AddPlain(result, source, start, length);
            }
        }

        result.Truncate(maxTokenCount, text.Length);
        return result;
    }

    // Plain text goes to the engine's tokenizer; the ids' byte lengths map back to characters.
    private void AddPlain(Encoded result, string source, int start, int length)
    {
        var fragment = source.Substring(start, length);
        var ids = _engine.Tokenize(fragment);

        // For each UTF-8 byte of the fragment: the character range of the rune it belongs to, and whether it starts it.
        var byteCount = Encoding.UTF8.GetByteCount(fragment);
        var runeStart = new int[byteCount + 1];
        var runeEnd = new int[byteCount + 1];
        var startsRune = new bool[byteCount + 1];
        var at = 0;
        for (var c = 0; c < fragment.Length;)
        {
            Rune.DecodeFromUtf16(fragment.AsSpan(c), out var rune, out var chars);
            for (var k = 0; k < rune.Utf8SequenceLength; k++)
            {
                runeStart[at + k] = c;
                runeEnd[at + k] = c + chars;
            }

            startsRune[at] = true;
            at += rune.Utf8SequenceLength;
            c += chars;
        }

        runeStart[byteCount] = runeEnd[byteCount] = fragment.Length;
        startsRune[byteCount] = true;

        var position = 0;
        foreach (var id in ids)
        {
            var size = Piece(id).Length;
            if (position + size > byteCount)
            {
                throw VocabularyMismatch();
            }

            var first = runeStart[position];
            var last = size == 0 ? first : runeEnd[position + size - 1];
            result.Add(id, start + first, start + last, startsRune[position], startsRune[position + size]);
            position += size;
        }

        if (position != byteCount)
        {
            throw VocabularyMismatch();
        }
    }

    private InvalidOperationException VocabularyMismatch() => new(
        $"The token pieces read from '{_engine.Model.Path}' do not add up to the text the engine tokenized; the file no longer matches the loaded model. Reload the engine and create the tokenizer again.");

    // The input split as llama.cpp splits it with special-token parsing on: for each special text, longest first,
    // every occurrence in the remaining plain parts becomes that token. Without parsing, one plain fragment.
    private List<(int Start, int Length, int SpecialId)> Fragments(string source)
    {
        var fragments = new List<(int Start, int Length, int SpecialId)> { (0, source.Length, -1) };
        if (!ParseSpecialTokens)
        {
            return fragments;
        }

        foreach (var (special, id) in _vocabulary.SpecialTexts)
        {
            if (!source.Contains(special, StringComparison.Ordinal))
            {
                continue;
            }

            var split = new List<(int Start, int Length, int SpecialId)>(fragments.Count + 2);
            foreach (var fragment in fragments)
            {
                if (fragment.SpecialId >= 0)
                {
                    split.Add(fragment);
                    continue;
                }

                var from = fragment.Start;
                var end = fragment.Start + fragment.Length;
                while (from < end)
                {
                    var found = source.IndexOf(special, from, end - from, StringComparison.Ordinal);
                    if (found < 0)
                    {
                        break;
                    }

                    if (found > from)
                    {
                        split.Add((from, found - from, -1));
                    }

                    split.Add((found, special.Length, id));
                    from = found + special.Length;
                }

                if (from < end)
                {
                    split.Add((from, end - from, -1));
                }
            }

            fragments = split;
        }

        return fragments;
    }

    private sealed class Encoded
    {
        public List<int> Ids { get; } = [];

        public List<int> Starts { get; } = [];

        public List<int> Ends { get; } = [];

        public List<bool> CleanStart { get; } = [];

        private List<bool> CleanEnd { get; } = [];

        public int Count { get; private set; }

        public int CharsConsumed { get; private set; }

        public void Add(int id, int start, int end, bool cleanStart, bool cleanEnd)
        {
            Ids.Add(id);
            Starts.Add(start);
            Ends.Add(end);
            CleanStart.Add(cleanStart);
            CleanEnd.Add(cleanEnd);
            Count = Ids.Count;
        }

        // Keep at most maxTokenCount tokens, ending at a character boundary.
        public void Truncate(int maxTokenCount, int textLength)
        {
            if (Count <= maxTokenCount)
            {
                CharsConsumed = textLength;
                return;
            }

            var count = maxTokenCount;
            while (count > 0 && !CleanEnd[count - 1])
            {
                count--;
            }

            Count = count;
            CharsConsumed = count == 0 ? 0 : Ends[count - 1];
        }
    }
}
