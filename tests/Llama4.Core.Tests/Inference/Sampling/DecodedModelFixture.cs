using System.Text;
using Llama4.Core.Native;
using LLama;
using LLama.Batched;
using LLama.Common;
using LLama.Native;
using Microsoft.Extensions.Logging.Abstractions;

namespace Llama4.Core.Tests.Inference.Sampling;

/// <summary>
/// A generated model loaded without the engine, with <see cref="SequenceCount"/> sequences decoded together in one
/// batch (each a different prompt), so that tests can sample from real rows of logits and hand llama.cpp's own context
/// to LLamaSharp's reference pipeline. Derived classes choose the model.
/// </summary>
public abstract class DecodedModelFixture : IAsyncLifetime
{
    private readonly string _modelPath;
    private BatchedExecutor? _executor;
    private readonly List<Conversation> _conversations = [];

    protected DecodedModelFixture(string modelPath, int sequenceCount)
    {
        _modelPath = modelPath;
        SequenceCount = sequenceCount;
    }

    public int SequenceCount { get; }

    public LLamaWeights Weights { get; private set; } = null!;

    public SafeLLamaContextHandle Context => _executor!.Context.NativeHandle;

    public int VocabularySize => Weights.Vocab.Count;

    /// <summary>Gets sequence <paramref name="sequence"/>'s row of logits in llama.cpp's buffer (valid while the fixture lives).</summary>
    public ReadOnlySpan<float> LogitsOf(int sequence) => Context.GetLogitsIth(SampleIndexOf(sequence));

    public int SampleIndexOf(int sequence) => _conversations[sequence].GetSampleIndex();

    public async ValueTask InitializeAsync()
    {
        NativeRuntime.EnsureConfigured(Llama4Backend.Cpu, NullLogger.Instance);
        var parameters = new ModelParams(_modelPath) { ContextSize = 2048, GpuLayerCount = 0, SeqMax = (uint)SequenceCount, Threads = 2 };
        Weights = LLamaWeights.LoadFromFile(parameters);
        _executor = new BatchedExecutor(Weights, parameters);
        for (var i = 0; i < SequenceCount; i++)
        {
            var conversation = _executor.Create();
            conversation.Prompt(Weights.Tokenize($"<|begin_of_text|>Prompt number {i}: tell me about the weather", false, true, Encoding.UTF8));
            _conversations.Add(conversation);
        }

        var result = await _executor.Infer();
        if (result != DecodeResult.Ok)
        {
            throw new InvalidOperationException($"The fixture's prompts did not decode: {result}.");
        }

        // llama.cpp may reorder its outputs on the first read after a decode: read every row once here.
        for (var i = 0; i < SequenceCount; i++)
        {
            _ = LogitsOf(i);
        }
    }

    public ValueTask DisposeAsync()
    {
        foreach (var conversation in _conversations)
        {
            conversation.Dispose();
        }

        _executor?.Dispose();
        Weights?.Dispose();
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
