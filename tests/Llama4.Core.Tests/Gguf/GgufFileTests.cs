using System.Buffers.Binary;
using Llama4.Core.Gguf;
using Llama4.TinyModel;

namespace Llama4.Core.Tests.Gguf;

public sealed class GgufFileTests : IClassFixture<GgufTestFiles>
{
    private readonly GgufTestFiles _files;

    public GgufFileTests(GgufTestFiles files)
    {
        _files = files;
    }

    [Fact]
    public void Read_TinyModel_ReadsEveryKeyAndTensorWithoutTheData()
    {
        GgufFile file = GgufFile.Read(_files.ValidModelPath);

        Assert.Equal(3u, file.Version);
        Assert.Equal(32u, file.Alignment);
        Assert.Equal(0, file.DataOffset % 32);
        Assert.Equal(file.Keys.Count, file.Metadata.Count);
        Assert.Equal("general.architecture", file.Keys[0]);
        Assert.Equal(TinyModelVocabulary.Create(300).Tokens, file.Metadata["tokenizer.ggml.tokens"].AsStringArray);
        Assert.Equal("array of int32", file.Metadata["tokenizer.ggml.token_type"].TypeName);
        GgufTensorInfo last = file.Tensors[^1];
        Assert.Equal("output.weight", last.Name);
        Assert.Equal(file.FileLength, file.DataOffset + (long)last.Offset + (long)last.ByteLength!.Value);
    }

    [Theory]
    [InlineData(0u, "F32", 1, 4)]
    [InlineData(1u, "F16", 1, 2)]
    [InlineData(2u, "Q4_0", 32, 18)]
    [InlineData(3u, "Q4_1", 32, 20)]
    [InlineData(6u, "Q5_0", 32, 22)]
    [InlineData(7u, "Q5_1", 32, 24)]
    [InlineData(8u, "Q8_0", 32, 34)]
    [InlineData(10u, "Q2_K", 256, 84)]
    [InlineData(11u, "Q3_K", 256, 110)]
    [InlineData(12u, "Q4_K", 256, 144)]
    [InlineData(13u, "Q5_K", 256, 176)]
    [InlineData(14u, "Q6_K", 256, 210)]
    [InlineData(15u, "Q8_K", 256, 292)]
    [InlineData(16u, "IQ2_XXS", 256, 66)]
    [InlineData(20u, "IQ4_NL", 32, 18)]
    [InlineData(23u, "IQ4_XS", 256, 136)]
    [InlineData(30u, "BF16", 1, 2)]
    [InlineData(39u, "MXFP4", 32, 17)]
    public void TryGetLayout_KnownType_MatchesGgml(uint type, string name, int blockSize, int typeSize)
    {
        Assert.True(GgmlTypeInfo.TryGetLayout(type, out int block, out int size));
        Assert.Equal((blockSize, typeSize), (block, size));
        Assert.Equal(name, GgmlTypeInfo.GetName(type));
    }

    [Theory]
    [InlineData(4u)]
    [InlineData(31u)]
    [InlineData(1000u)]
    public void TryGetLayout_UnknownType_IsUnknown(uint type)
    {
        Assert.False(GgmlTypeInfo.TryGetLayout(type, out _, out _));
        Assert.StartsWith("type ", GgmlTypeInfo.GetName(type), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MisalignedTensorOffset_ThrowsCorrupt()
    {
        byte[] bytes = (byte[])_files.ValidModelBytes.Clone();
        int offsetField = FindTensorOffsetField(bytes, "output.weight");
        ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(offsetField));
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(offsetField), offset + 2);

        var ex = Assert.Throws<Llama4ModelValidationException>(() => Read(bytes));

        Assert.Equal(Llama4ModelProblem.Corrupt, ex.Problem);
        Assert.Contains("output.weight", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownTensorType_SkipsTheRangeCheckForIt()
    {
        byte[] bytes = (byte[])_files.ValidModelBytes.Clone();
        int offsetField = FindTensorOffsetField(bytes, "output.weight");
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(offsetField - 4), 4000);

        GgufFile file = Read(bytes[..^100_000]);

        Assert.Null(file.Tensors[^1].ByteLength);
        Assert.Equal("type 4000", file.Tensors[^1].TypeName);
    }

    [Fact]
    public void Read_BytesAfterTheLastTensorsData_ThrowsCorrupt()
    {
        byte[] bytes = [.. _files.ValidModelBytes, .. new byte[32]];

        var ex = Assert.Throws<Llama4ModelValidationException>(() => Read(bytes));

        Assert.Equal(Llama4ModelProblem.Corrupt, ex.Problem);
        Assert.Contains("goes on for 32 more bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TensorCountOneLower_ThrowsCorruptInsteadOfReadingShiftedWeights()
    {
        // The last tensor's info and data stay in the file, so every tensor would be read a few bytes off: garbage
        // weights, NaN logits, and a constrained request that aborts the process (found by the fuzzer, seed 1 case 108).
        byte[] bytes = (byte[])_files.ValidModelBytes.Clone();
        ulong count = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(8));
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), count - 1);

        var ex = Assert.Throws<Llama4ModelValidationException>(() => Read(bytes));

        Assert.Equal(Llama4ModelProblem.Corrupt, ex.Problem);
    }

    [Fact]
    public void Read_LessThanOneAlignmentOfPaddingAfterTheLastTensor_IsAccepted()
    {
        byte[] bytes = [.. _files.ValidModelBytes, .. new byte[31]];

        GgufFile file = Read(bytes);

        Assert.Equal(47, file.Tensors.Count);
    }

    [Fact]
    public void Read_RandomMutationsOfTheHeader_OnlyEverThrowValidationExceptions()
    {
        byte[] original = _files.ValidModelBytes;
        long dataOffset;
        using (var stream = new MemoryStream(original))
        {
            dataOffset = GgufFile.Read(stream, "memory.gguf").DataOffset;
        }

        var random = new Random(20250401);
        int failures = 0;
        for (int i = 0; i < 300; i++)
        {
            byte[] bytes = (byte[])original.Clone();
            int flips = random.Next(1, 8);
            for (int f = 0; f < flips; f++)
            {
                int at = random.Next(4, (int)dataOffset);
                bytes[at] = random.Next(4) == 0 ? (byte)0xFF : (byte)random.Next(256);
            }

            int length = random.Next(3) == 0 ? random.Next(0, bytes.Length) : bytes.Length;
            try
            {
                using var stream = new MemoryStream(bytes, 0, length);
                Llama4ModelValidator.Validate(GgufFile.Read(stream, "mutated.gguf"));
            }
            catch (Llama4ModelValidationException)
            {
                failures++;
            }
        }

        Assert.True(failures > 100, $"only {failures} of 300 mutated files were refused");
    }

    private static GgufFile Read(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        return GgufFile.Read(stream, "memory.gguf");
    }

    // A tensor info is: u64 name length, name, u32 n_dims, u64 ne[n_dims], u32 type, u64 offset.
    private static int FindTensorOffsetField(byte[] bytes, string name)
    {
        byte[] pattern = new byte[8 + name.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(pattern, (ulong)name.Length);
        System.Text.Encoding.ASCII.GetBytes(name).CopyTo(pattern, 8);
        int at = bytes.AsSpan().IndexOf(pattern);
        Assert.True(at > 0);
        int dims = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + pattern.Length));
        return at + pattern.Length + 4 + (8 * dims) + 4;
    }
}
