using System.Globalization;
using System.Text;

namespace Llama4.Core.Gguf;

/// <summary>
/// Checks a llama4 model's tokenizer metadata: a byte-level BPE (<c>gpt2</c>) vocabulary with the Llama 4 special
/// tokens, parallel arrays of the right type and length, no token text twice (llama.cpp aborts the process at load,
/// <c>GGML_ASSERT(id_to_token.size() == token_to_id.size())</c>), and no token that llama.cpp's grammar sampler reads
/// as U+0000 (the process aborts at the first constrained request).
/// </summary>
internal static class Llama4VocabularyValidator
{
    private const string ModelKey = "tokenizer.ggml.model";
    private const string TokensKey = "tokenizer.ggml.tokens";
    private const string TypesKey = "tokenizer.ggml.token_type";

    // llama.cpp's token types (LLAMA_TOKEN_TYPE_*): a normal token's piece is its byte-level decoding; unknown, control
    // and user-defined tokens give their text as it is; any other type gives an empty piece.
    private const int NormalType = 1;
    private const int UnknownType = 2;
    private const int ControlType = 3;
    private const int UserDefinedType = 4;

    private static readonly string[] RequiredSpecialTokens =
    [
        Llama4SpecialTokens.BeginOfText,
        Llama4SpecialTokens.HeaderStart,
        Llama4SpecialTokens.HeaderEnd,
        Llama4SpecialTokens.EndOfTurn,
    ];

    /// <summary>Checks the tokenizer; returns the token texts.</summary>
    /// <param name="check">The checker over the file.</param>
    /// <returns>The tokens, by id.</returns>
    /// <exception cref="Llama4ModelValidationException">The tokenizer is missing, not Llama 4's, malformed or would abort llama.cpp.</exception>
    public static IReadOnlyList<string> Check(GgufMetadataChecker check)
    {
        string model = check.OptionalString(ModelKey) ?? throw check.Missing(ModelKey);
        if (!string.Equals(model, "gpt2", StringComparison.Ordinal))
        {
            throw new Llama4ModelValidationException(
                Llama4ModelProblem.NotLlama4Tokenizer,
                check.FilePath,
                $"The model file '{check.FilePath}' has a '{model}' tokenizer ('{ModelKey}'), but Llama 4 uses a byte-level BPE tokenizer ('gpt2'); use a GGUF converted from a Llama 4 checkpoint.");
        }

        GgufMetadataValue value = check.Required(TokensKey);
        IReadOnlyList<string> tokens = value.AsStringArray ?? throw check.WrongType(TokensKey, value, "an array of strings");
        if (tokens.Count == 0)
        {
            throw check.Invalid(TokensKey, "is empty; re-export the model with its tokenizer");
        }

        CheckSpecialTokens(check, tokens);
        CheckParallelArray(check, TypesKey, GgufValueType.Int32, tokens.Count);
        CheckParallelArray(check, "tokenizer.ggml.scores", GgufValueType.Float32, tokens.Count);
        if (check.TryGetValue("tokenizer.ggml.merges", out GgufMetadataValue merges) && merges.AsStringArray is null)
        {
            throw check.WrongType("tokenizer.ggml.merges", merges, "an array of strings");
        }

        int[]? types = check.TryGetValue(TypesKey, out GgufMetadataValue typeValue) ? (int[])typeValue.Value : null;
        CheckTexts(check, value, tokens, types);
        return tokens;
    }

    private static void CheckSpecialTokens(GgufMetadataChecker check, IReadOnlyList<string> tokens)
    {
        var missing = new List<string>(RequiredSpecialTokens);
        foreach (string token in tokens)
        {
            if (token.Length > 4 && token[0] == '<' && token[1] == '|')
            {
                missing.Remove(token);
                if (missing.Count == 0)
                {
                    return;
                }
            }
        }

        throw new Llama4ModelValidationException(
            Llama4ModelProblem.NotLlama4Tokenizer,
            check.FilePath,
            $"The tokenizer of '{check.FilePath}' ('{TokensKey}') lacks the Llama 4 special token(s) {string.Join(", ", missing)}, so it is not a Llama 4 tokenizer and the Llama 4 chat format cannot be written; use a GGUF converted from a Llama 4 instruct checkpoint.");
    }

    private static void CheckParallelArray(GgufMetadataChecker check, string key, GgufValueType elementType, int tokenCount)
    {
        if (!check.TryGetValue(key, out GgufMetadataValue value))
        {
            return;
        }

        // llama.cpp reads these arrays as raw int32/float32 data indexed by token id: another element type or a
        // shorter array makes it read garbage or past the end.
        if (!value.IsArray || value.ElementType != elementType)
        {
            throw check.WrongType(key, value, "an array of " + GgufMetadataValue.Name(elementType));
        }

        if (value.ArrayLength != tokenCount)
        {
            throw check.Invalid(key, GgufMetadataChecker.Format($"has {value.ArrayLength} entries but '{TokensKey}' has {tokenCount}; re-export the model so that they agree"));
        }
    }

    /// <summary>
    /// Finds repeated token texts exactly as llama.cpp keys them (the bytes up to the first NUL, an empty text becoming
    /// <c>[EMPTY_id]</c>) and pieces the grammar sampler decodes as U+0000.
    /// </summary>
    private static void CheckTexts(GgufMetadataChecker check, GgufMetadataValue value, IReadOnlyList<string> tokens, int[]? types)
    {
        // Valid UTF-8 and invalid byte strings can never be equal, so each kind has its own map (no allocation for the
        // common case: a valid text without NUL is its own key).
        var valid = new Dictionary<string, int>(tokens.Count, StringComparer.Ordinal);
        var invalid = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int id = 0; id < tokens.Count; id++)
        {
            byte[]? raw = value.IsInvalidUtf8(id) ? value.GetStringBytes(id) : null;
            string text = tokens[id];
            if (raw is null && text.Contains('\0', StringComparison.Ordinal))
            {
                raw = value.GetStringBytes(id);
            }

            Dictionary<string, int> map = valid;
            byte[]? bytes = null;
            if (raw is not null)
            {
                int nul = Array.IndexOf(raw, (byte)0);
                bytes = nul < 0 ? raw : raw[..nul];
                if (System.Text.Unicode.Utf8.IsValid(bytes))
                {
                    text = Encoding.UTF8.GetString(bytes);
                }
                else
                {
                    text = Encoding.Latin1.GetString(bytes);
                    map = invalid;
                }
            }

            if (text.Length == 0)
            {
                text = "[EMPTY_" + id.ToString(CultureInfo.InvariantCulture) + "]";
                map = valid;
                bytes = Encoding.ASCII.GetBytes(text);
            }

            if (!map.TryAdd(text, id))
            {
                bytes ??= Encoding.UTF8.GetBytes(text);
                throw new Llama4ModelValidationException(
                    Llama4ModelProblem.InvalidVocabulary,
                    check.FilePath,
                    GgufMetadataChecker.Format($"The tokenizer of '{check.FilePath}' ('{TokensKey}') has the token text '{Escape(bytes)}' twice, at ids {map[text]} and {id}: llama.cpp maps every text to one id and aborts the whole process on a repeated one (GGML_ASSERT id_to_token.size() == token_to_id.size()). The file is damaged (one flipped bit is enough): download or convert the model again."));
            }

            int type = types is null ? NormalType : types[id];
            if ((type is NormalType or UnknownType or ControlType or UserDefinedType) && MayDecodeToNul(text, map == invalid))
            {
                bytes ??= Encoding.UTF8.GetBytes(text);
                byte[] piece = type == NormalType ? Gpt2ByteLevel.DecodePiece(bytes) : bytes;
                if (GrammarPieceDecoder.DecodesToNul(piece))
                {
                    throw new Llama4ModelValidationException(
                        Llama4ModelProblem.InvalidVocabulary,
                        check.FilePath,
                        GgufMetadataChecker.Format($"The tokenizer of '{check.FilePath}' ('{TokensKey}') has token {id} ('{Escape(bytes)}'), whose bytes ({Hex(piece)}) are an overlong UTF-8 form that llama.cpp's grammar sampler reads as U+0000: a grammar- or JSON-constrained request would accept it as an empty piece and then abort the process ('Unexpected empty grammar stack'). No real tokenizer has such a token; the file is damaged: download or convert the model again."));
                }
            }
        }
    }

    /// <summary>
    /// A fast filter: a piece can hold a lead byte C0, E0 or F0 (where every U+0000 decoding starts) only when the text
    /// is not valid UTF-8, holds the byte-level characters for those bytes (U+00C0, U+00E0, U+00F0), or holds characters
    /// from U+0800 up, whose UTF-8 starts with E0 or F0 (and which also make llama.cpp copy the text into the piece).
    /// </summary>
    private static bool MayDecodeToNul(string text, bool invalidUtf8)
    {
        if (invalidUtf8)
        {
            return true;
        }

        foreach (char c in text)
        {
            if (c is '\u00C0' or '\u00E0' or '\u00F0' or >= '\u0800')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A token's text for a message: as text when it is valid UTF-8 (control characters as \xHH), else byte by byte.</summary>
    private static string Escape(byte[] bytes)
    {
        var builder = new StringBuilder();
        if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            foreach (char c in Encoding.UTF8.GetString(bytes).Take(64))
            {
                builder.Append(c < 0x20 || c == '\'' || c == '\\' ? GgufMetadataChecker.Format($"\\x{(int)c:x2}") : c.ToString());
            }
        }
        else
        {
            foreach (byte b in bytes.Take(64))
            {
                builder.Append(b is >= 0x20 and < 0x7F && b != (byte)'\\' && b != (byte)'\''
                    ? ((char)b).ToString()
                    : GgufMetadataChecker.Format($"\\x{b:x2}"));
            }
        }

        return bytes.Length > 64 ? builder + "..." : builder.ToString();
    }

    private static string Hex(byte[] bytes) =>
        string.Join(' ', bytes.Take(16).Select(b => b.ToString("X2", CultureInfo.InvariantCulture))) + (bytes.Length > 16 ? " ..." : string.Empty);
}
