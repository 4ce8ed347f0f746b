using System.Text;
using Llama4.Core.Gguf;
using Llama4.TinyModel;

namespace Llama4.Core.Tests.Gguf;

public sealed class Gpt2ByteLevelTests
{
    [Fact]
    public void DecodePiece_EveryByteTokenOfTheTinyVocabulary_GivesItsByte()
    {
        IReadOnlyList<string> tokens = TinyModelVocabulary.Create(0).Tokens;

        for (int b = 0; b < 256; b++)
        {
            Assert.Equal([(byte)b], Gpt2ByteLevel.DecodePiece(Encoding.UTF8.GetBytes(tokens[b])));
            Assert.Equal(tokens[b], Gpt2ByteLevel.Encode((byte)b).ToString());
        }
    }

    [Fact]
    public void Encode_OverlongNul_IsTheTextAVocabularyWouldStore()
    {
        string text = Gpt2ByteLevel.Encode([0xC0, 0x80]);

        Assert.Equal("\u00C0\u0122", text);
        Assert.Equal([0xC0, 0x80], Gpt2ByteLevel.DecodePiece(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void DecodePiece_CharacterOutsideTheMapping_GivesLlamaCppsUnknownByteText()
    {
        // U+2581 is not a byte-level character: llama.cpp writes its UTF-8 in hex followed by the whole token text.
        byte[] text = Encoding.UTF8.GetBytes("a\u2581");

        byte[] piece = Gpt2ByteLevel.DecodePiece(text);

        Assert.Equal("a[UNK_BYTE_0xe29681a\u2581]", Encoding.UTF8.GetString(piece));
    }

    [Fact]
    public void DecodePiece_InvalidUtf8Byte_CountsAsAReplacementCharacter()
    {
        byte[] piece = Gpt2ByteLevel.DecodePiece([0xFF, (byte)'a']);

        Assert.StartsWith("[UNK_BYTE_0xefbfbd", Encoding.Latin1.GetString(piece), StringComparison.Ordinal);
        Assert.Equal((byte)'a', piece[^1]);
    }
}
