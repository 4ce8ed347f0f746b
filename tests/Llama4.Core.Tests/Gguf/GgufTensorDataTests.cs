using Llama4.Core.Gguf;
using Llama4.GgufFuzz;
using Llama4.TinyModel;

namespace Llama4.Core.Tests.Gguf;

public sealed class GgufTensorDataTests : IClassFixture<GgufTestFiles>
{
    private readonly GgufTestFiles _files;

    public GgufTensorDataTests(GgufTestFiles files)
    {
        _files = files;
    }

    [Fact]
    public void MappedBytes_TinyModel_IsFromFirstTensorToEndOfLast()
    {
        var file = GgufFile.Read(_files.ValidModelPath);

        long mapped = GgufTensorData.MappedBytes(file);

        var last = file.Tensors.MaxBy(t => t.Offset)!;
        Assert.Equal((long)(last.Offset + last.ByteLength!.Value - file.Tensors.Min(t => t.Offset)), mapped);
        Assert.True(mapped >= file.Tensors.Sum(t => (long)t.ByteLength!.Value));
        Assert.Equal(file.FileLength - file.DataOffset, mapped);
    }

    [Fact]
    public void Validate_TinyModel_ReportsHeadSizesAndTensorData()
    {
        Llama4ModelInfo info = Llama4ModelValidator.Validate(_files.ValidModelPath);

        Assert.Equal(32, info.KeyLength);
        Assert.Equal(32, info.ValueLength);
        Assert.Equal([2, 2, 2, 2], info.KvHeadCountPerLayer);
        Assert.Equal(GgufTensorData.MappedBytes(GgufFile.Read(_files.ValidModelPath)), info.TensorDataBytes);
        Assert.True(info.TensorDataBytes < info.FileSizeBytes);
    }

    [Fact]
    public void Validate_ValueLengthKeyEqualToTheKeyLength_IsReadFromTheFile()
    {
        string path = _files.WriteModel(new Dictionary<string, object?>
        {
            ["llama4.attention.key_length"] = 32u,
            ["llama4.attention.value_length"] = 32u,
        });

        Llama4ModelInfo info = Llama4ModelValidator.Validate(path);

        Assert.Equal(32, info.KeyLength);
        Assert.Equal(32, info.ValueLength);
    }

    [Fact]
    public void Validate_SplitModel_AddsTheTensorDataOfEveryShard()
    {
        // Shard 1: the tiny model without output.weight; shard 2: output.weight alone.
        GgufDocument whole = GgufDocument.Parse(_files.ValidModelBytes);
        GgufDocument first = whole.Clone();
        GgufRawTensor output = first.Tensors[^1];
        first.Tensors.RemoveAt(first.Tensors.Count - 1);
        first.Entries.Add(GgufValues.IntegerEntry("split.no", GgufValues.UInt16, 0));
        first.Entries.Add(GgufValues.IntegerEntry("split.count", GgufValues.UInt16, 2));
        first.Entries.Add(GgufValues.IntegerEntry("split.tensors.count", GgufValues.UInt16, 47));
        GgufDocument second = whole.Clone();
        second.Entries.Clear();
        second.Entries.Add(GgufValues.IntegerEntry("split.no", GgufValues.UInt16, 1));
        second.Tensors.Clear();
        second.Tensors.Add(output);
        string path = _files.WriteBytes(first.Serialize().Bytes, "tensor-data-00001-of-00002.gguf");
        _files.WriteBytes(second.Serialize().Bytes, "tensor-data-00002-of-00002.gguf");

        Llama4ModelInfo info = Llama4ModelValidator.Validate(path);

        long single = Llama4ModelValidator.Validate(_files.ValidModelPath).TensorDataBytes;
        Assert.Equal(single, info.TensorDataBytes);
        Assert.Equal(2, info.ShardCount);
        Assert.Equal(47, info.TensorCount);
    }

    [Fact]
    public void Validate_SplitModelWithATensorInTwoShards_ThrowsInvalidTensor()
    {
        GgufDocument whole = GgufDocument.Parse(_files.ValidModelBytes);
        GgufDocument first = whole.Clone();
        first.Entries.Add(GgufValues.IntegerEntry("split.no", GgufValues.UInt16, 0));
        first.Entries.Add(GgufValues.IntegerEntry("split.count", GgufValues.UInt16, 2));
        GgufDocument second = whole.Clone();
        second.Entries.Clear();
        second.Entries.Add(GgufValues.IntegerEntry("split.no", GgufValues.UInt16, 1));
        second.Tensors.RemoveRange(0, second.Tensors.Count - 1);
        string path = _files.WriteBytes(first.Serialize().Bytes, "twice-00001-of-00002.gguf");
        _files.WriteBytes(second.Serialize().Bytes, "twice-00002-of-00002.gguf");

        var ex = Assert.Throws<Llama4ModelValidationException>(() => Llama4ModelValidator.Validate(path));

        Assert.Equal(Llama4ModelProblem.InvalidTensor, ex.Problem);
        Assert.Contains("'output.weight'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PerLayerKvHeadCountsThatDiffer_ThrowsInvalidMetadata()
    {
        // llama.cpp builds every layer's K/V tensors and cache with layer 0's count: such a file aborted a child process.
        string path = _files.WriteModel(TinyModelOptions.Default with
        {
            KvHeadCount = 4,
            MetadataOverrides = new Dictionary<string, object?> { ["llama4.attention.head_count_kv"] = new uint[] { 4, 4, 4, 2 } },
        });

        var ex = Assert.Throws<Llama4ModelValidationException>(() => Llama4ModelValidator.Validate(path));

        Assert.Equal(Llama4ModelProblem.InvalidMetadata, ex.Problem);
        Assert.Contains("'llama4.attention.head_count_kv': it is 2 for layer 3 but 4 for layer 0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PerLayerKvHeadCountsThatAgree_AreKeptPerLayer()
    {
        string path = _files.WriteModel(TinyModelOptions.Default with
        {
            KvHeadCount = 4,
            MetadataOverrides = new Dictionary<string, object?> { ["llama4.attention.head_count_kv"] = new uint[] { 4, 4, 4, 4 } },
        });

        Llama4ModelInfo info = Llama4ModelValidator.Validate(path);

        Assert.Equal([4, 4, 4, 4], info.KvHeadCountPerLayer);
        Assert.Equal(4, info.KvHeadCount);
    }
}
