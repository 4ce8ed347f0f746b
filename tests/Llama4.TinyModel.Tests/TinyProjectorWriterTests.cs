using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using LLama;
using LLama.Common;
using LLama.Native;

namespace Llama4.TinyModel.Tests;

public sealed class TinyProjectorWriterTests : IClassFixture<LoadedTinyModelFixture>, IDisposable
{
    private readonly LoadedTinyModelFixture _model;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "llama4-tiny-mmproj-tests-" + RandomNumberGenerator.GetHexString(12, lowercase: true));

    public TinyProjectorWriterTests(LoadedTinyModelFixture model)
    {
        _model = model;
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void WriteToArray_SameOptions_IsByteIdenticalAndSeedChangesIt()
    {
        byte[] first = TinyProjectorWriter.WriteToArray();
        byte[] second = TinyProjectorWriter.WriteToArray(new TinyProjectorOptions());
        byte[] other = TinyProjectorWriter.WriteToArray(TinyProjectorOptions.Default with { Seed = 2 });

        Assert.Equal(first, second);
        Assert.Equal(first.Length, other.Length);
        Assert.NotEqual(first, other);
        Assert.Equal("GGUF"u8.ToArray(), first[..4]);
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(first.AsSpan(4)));
    }

    [Fact]
    public void GetOrCreateProjector_SameOptions_ReturnsOneCompleteFileNamedByItsOptions()
    {
        string first = TinyModelCache.GetOrCreateProjector(TinyProjectorOptions.Default, _directory);
        string second = TinyModelCache.GetOrCreateProjector(TinyProjectorOptions.Default with { }, _directory);
        string widened = TinyModelCache.GetOrCreateProjector(TinyProjectorOptions.ForModel(TinyModelOptions.Default with { EmbeddingLength = 256 }), _directory);

        Assert.Equal(first, second);
        Assert.NotEqual(first, widened);
        Assert.Equal(TinyProjectorWriter.WriteToArray(), File.ReadAllBytes(first));
        Assert.Equal(2, Directory.GetFiles(_directory).Length);
        Assert.StartsWith("llama4-tiny-mmproj-", Path.GetFileName(first), StringComparison.Ordinal);
    }

    [Fact]
    public void GetProjectorOptionsHash_AnyChange_Differs()
    {
        string baseline = TinyModelCache.GetProjectorOptionsHash(TinyProjectorOptions.Default);
        string[] others =
        [
            TinyModelCache.GetProjectorOptionsHash(TinyProjectorOptions.Default with { Seed = 9 }),
            TinyModelCache.GetProjectorOptionsHash(TinyProjectorOptions.Default with { TextEmbeddingLength = 64 }),
            TinyModelCache.GetProjectorOptionsHash(TinyProjectorOptions.Default with { HeadCount = 4 }),
            TinyModelCache.GetProjectorOptionsHash(TinyProjectorOptions.Default with { MetadataOverrides = new Dictionary<string, object?> { ["clip.vision.projector.scale_factor"] = null } }),
            TinyModelCache.GetProjectorOptionsHash(TinyProjectorOptions.Default with { TensorShapeOverrides = new Dictionary<string, long[]?> { ["v.class_embd"] = null } }),
            TinyModelCache.GetProjectorOptionsHash(TinyProjectorOptions.Default with { TensorShapeOverrides = new Dictionary<string, long[]?> { ["v.class_embd"] = [16] } }),
        ];

        Assert.Equal(32, baseline.Length);
        Assert.DoesNotContain(baseline, others);
        Assert.Equal(others.Length, others.Distinct().Count());
    }

    [Fact]
    public void Overrides_RemoveAndReshape_AreWrittenAsAsked()
    {
        var options = TinyProjectorOptions.Default with
        {
            MetadataOverrides = new Dictionary<string, object?> { ["clip.vision.projector.scale_factor"] = null, ["clip.use_gelu"] = "yes" },
            TensorShapeOverrides = new Dictionary<string, long[]?> { ["v.class_embd"] = null, ["mm.model.fc.weight"] = [64, 96] },
        };

        byte[] file = TinyProjectorWriter.WriteToArray(options);
        byte[] normal = TinyProjectorWriter.WriteToArray();

        Assert.Equal(-1, IndexOf(file, "clip.vision.projector.scale_factor"));
        Assert.True(IndexOf(normal, "clip.vision.projector.scale_factor") > 0);
        Assert.Equal(-1, IndexOf(file, "v.class_embd"));
        Assert.True(IndexOf(file, "mm.model.fc.weight") > 0);
    }

    [Theory]
    [InlineData(0, nameof(TinyProjectorOptions.PatchSize))]
    [InlineData(1, nameof(TinyProjectorOptions.TensorShapeOverrides))]
    [InlineData(2, nameof(TinyProjectorOptions.MetadataOverrides))]
    public void Validate_InvalidOption_NamesIt(int variant, string expected)
    {
        TinyProjectorOptions options = variant switch
        {
            0 => TinyProjectorOptions.Default with { PatchSize = 0 },
            1 => TinyProjectorOptions.Default with { TensorShapeOverrides = new Dictionary<string, long[]?> { ["v.class_embd"] = [0] } },
            _ => TinyProjectorOptions.Default with { MetadataOverrides = new Dictionary<string, object?> { ["k"] = new object() } },
        };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal(expected, error.ParamName);
    }

    [Fact]
    public void TokensPerTile_DefaultProjector_IsFour() => Assert.Equal(4, TinyProjectorOptions.Default.TokensPerTile);

    [Fact]
    public void MtmdLoadFromFile_DefaultProjector_EncodesOneTileIntoTextWidthEmbeddings()
    {
        var parameters = MtmdContextParams.Default();
        parameters.UseGpu = false;
        parameters.PrintTimings = false;
        parameters.NThreads = 1;
        using var projector = MtmdWeights.LoadFromFile(TinyModelCache.GetOrCreateProjector(), _model.Weights, parameters);
        using var context = _model.Weights.CreateContext(new ModelParams(_model.ModelPath) { ContextSize = 256, GpuLayerCount = 0 });
        using var image = SafeMtmdEmbed.FromRgbBytes(56, 56, new byte[56 * 56 * 3])!;

        int status = projector.NativeHandle.Tokenize("<__media__>", false, true, [image], out var chunks);
        using (chunks)
        {
            Assert.Equal(0, status);
            var imageChunk = Assert.Single(chunks!.Enumerate(), c => c.Type == SafeMtmdInputChunk.SafeMtmdInputChunkType.Image);
            Assert.Equal(4UL, imageChunk.NTokens);
            int past = 0;
            Assert.Equal(0, projector.NativeHandle.EvaluateChunk(imageChunk.NativePtr, context.NativeHandle, ref past, 0, 64, false));
            Assert.Equal(4, past);
        }

        Assert.True(projector.SupportsVision);
    }

    private static int IndexOf(byte[] file, string text) => file.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text));
}
