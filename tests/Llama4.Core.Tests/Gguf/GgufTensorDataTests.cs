using Llama4.Core.Gguf;
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
    public void Validate_ValueLengthKey_IsReadSeparatelyFromTheKeyLength()
    {
        string path = _files.WriteModel(new Dictionary<string, object?> { ["llama4.attention.value_length"] = 64u });

        Llama4ModelInfo info = Llama4ModelValidator.Validate(path);

        Assert.Equal(32, info.KeyLength);
        Assert.Equal(64, info.ValueLength);
    }

    [Fact]
    public void Validate_SplitModel_AddsTheTensorDataOfEveryShard()
    {
        string path = _files.WriteModel(
            new Dictionary<string, object?> { ["split.no"] = (ushort)0, ["split.count"] = (ushort)2 },
            "tensor-data-00001-of-00002.gguf");
        File.Copy(_files.ValidModelPath, Path.Combine(_files.Directory, "tensor-data-00002-of-00002.gguf"));

        Llama4ModelInfo info = Llama4ModelValidator.Validate(path);

        long single = Llama4ModelValidator.Validate(_files.ValidModelPath).TensorDataBytes;
        Assert.Equal(2 * single, info.TensorDataBytes);
    }

    [Fact]
    public void Validate_PerLayerKvHeadCounts_AreKeptPerLayer()
    {
        string path = _files.WriteModel(TinyModelOptions.Default with
        {
            KvHeadCount = 4,
            MetadataOverrides = new Dictionary<string, object?> { ["llama4.attention.head_count_kv"] = new uint[] { 4, 4, 4, 2 } },
        });

        Llama4ModelInfo info = Llama4ModelValidator.Validate(path);

        Assert.Equal([4, 4, 4, 2], info.KvHeadCountPerLayer);
        Assert.Equal(4, info.KvHeadCount);
    }
}
