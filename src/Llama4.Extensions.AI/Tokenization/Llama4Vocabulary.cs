using System.Text;
using Llama4.Core;
using Llama4.Core.Gguf;

namespace Llama4.Extensions.AI.Tokenization;

/// <summary>
/// The bytes each token of a Llama 4 model stands for, read from the model's GGUF vocabulary the way llama.cpp renders
/// pieces: normal tokens are GPT-2 byte-level strings (each character stands for one byte), control and user-defined
/// tokens are their own text. Also lists the texts that llama.cpp splits out as special tokens when asked to.
/// </summary>
internal sealed class Llama4Vocabulary
{
    private const int Normal = 1;
    private const int Unknown = 2;
    private const int Control = 3;
    private const int UserDefined = 4;

    private Llama4Vocabulary(byte[][] pieces, IReadOnlyList<(string Text, int Id)> specialTexts)
    {
        Pieces = pieces;
        SpecialTexts = specialTexts;
    }

    /// <summary>Gets the bytes of each token, by id.</summary>
    public byte[][] Pieces { get; }

    /// <summary>Gets the control, user-defined and unknown tokens by text, longest first (llama.cpp's matching order).</summary>
    public IReadOnlyList<(string Text, int Id)> SpecialTexts { get; }

    public int Count => Pieces.Length;

    public static Llama4Vocabulary Load(Llama4Engine engine)
    {
        var file = GgufFile.Read(engine.Model.Path);
        if (!file.TryGetValue("tokenizer.ggml.tokens", out var tokensValue) || tokensValue.AsStringArray is not { } tokens)
        {
            throw new InvalidOperationException($"The model file '{engine.Model.Path}' has no token list (tokenizer.ggml.tokens); it cannot back a tokenizer.");
        }

        int[] types;
        if (file.TryGetValue("tokenizer.ggml.token_type", out var typesValue) && typesValue.Value is int[] ints && ints.Length == tokens.Count)
        {
            types = ints;
        }
        else
        {
            types = new int[tokens.Count];
            Array.Fill(types, Normal);
        }

        if (tokens.Count != engine.Model.VocabularySize)
        {
            throw new InvalidOperationException(
                $"The model file '{engine.Model.Path}' now has {tokens.Count} tokens, but the engine loaded {engine.Model.VocabularySize}; the file changed after the engine loaded it. Reload the engine.");
        }

        var byteOf = ByteLevelDecoding();
        var pieces = new byte[tokens.Count][];
        var specials = new List<(string Text, int Id)>();
        for (var id = 0; id < tokens.Count; id++)
        {
            var text = tokens[id];
            switch (types[id])
            {
                case Normal:
                    pieces[id] = FromByteLevel(text, byteOf);
                    break;
                case Control or UserDefined or Unknown:
                    pieces[id] = Encoding.UTF8.GetBytes(text);
                    if (text.Length > 0)
                    {
                        specials.Add((text, id));
                    }

                    break;
                default:
                    // Unused and byte tokens never come out of Llama 4's tokenizer; render them as the engine does.
                    pieces[id] = Encoding.UTF8.GetBytes(engine.Detokenize([id]));
                    break;
            }
        }

        specials.Sort((a, b) => a.Text.Length != b.Text.Length ? b.Text.Length.CompareTo(a.Text.Length) : a.Id.CompareTo(b.Id));
        return new Llama4Vocabulary(pieces, specials);
    }

    private static byte[] FromByteLevel(string text, Dictionary<char, byte> byteOf)
    {
        var bytes = new byte[text.Length];
        var count = 0;
        foreach (var c in text)
        {
            if (byteOf.TryGetValue(c, out var b))
            {
                bytes[count++] = b;
            }
            else
            {
                // Not a byte-level character (a hand-edited vocabulary): keep its UTF-8 bytes.
                var utf8 = Encoding.UTF8.GetBytes(c.ToString());
                Array.Resize(ref bytes, bytes.Length + utf8.Length);
                utf8.CopyTo(bytes, count);
                count += utf8.Length;
            }
        }

        return count == bytes.Length ? bytes : bytes[..count];
    }

    // GPT-2's byte-to-unicode table, inverted: printable Latin-1 bytes stand for themselves, the other 68 bytes for
    // U+0100 onwards in byte order.
    private static Dictionary<char, byte> ByteLevelDecoding()
    {
        var map = new Dictionary<char, byte>(256);
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            map[(char)(printable ? b : next++)] = (byte)b;
        }

        return map;
    }
}
