using Llama4.Benchmarks.Measurement;
using LLama;
using LLama.Batched;
using LLama.Sampling;

namespace Llama4.Benchmarks.Subjects;

/// <summary>One request inside <see cref="RawBatchedSubject"/>'s loop: its conversation, sampler, detokenizer and timer.</summary>
internal sealed class RawSequence(Conversation conversation, DefaultSamplingPipeline pipeline, StreamingTokenDecoder decoder, RequestTimer timer) : IDisposable
{
    public Conversation Conversation { get; } = conversation;

    public DefaultSamplingPipeline Pipeline { get; } = pipeline;

    public StreamingTokenDecoder Decoder { get; } = decoder;

    public RequestTimer Timer { get; } = timer;

    public RequestResult? Result { get; set; }

    public void Dispose()
    {
        Conversation.Dispose();
        Pipeline.Dispose();
    }
}
