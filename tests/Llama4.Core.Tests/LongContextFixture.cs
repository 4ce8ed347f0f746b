using Llama4.Testing;
using Llama4.TinyModel;

namespace Llama4.Core.Tests;

/// <summary>
/// Engines for conversations that cross 8192-token chunk boundaries: a sharper tiny model (weights std 0.2, so a
/// broken cache moves logits by whole units instead of thousandths), a 131072-token context, one sequence (so the
/// small SWA cache holds 8192 + 512 cells and recycles earlier chunks as a conversation grows) and flash attention on
/// (prefills several times faster on the CPU). llama.cpp's CPU flash-attention kernel for micro-batches of fewer than
/// 64 tokens is less precise than the one for larger micro-batches, and at this context length its logits drift by up
/// to several units on this sharp model; the tests therefore shape every prompt so that its last micro-batch holds at
/// least 64 tokens, both when it is processed from scratch and when only its tail is (see
/// <see cref="Llama4EngineLongContextTests"/>). One engine reuses the KV cache; the other re-processes every prompt
/// and is the reference.
/// </summary>
public sealed class LongContextFixture : EnginePairFixture
{
    protected override Llama4EngineOptions CreateOptions(bool reuse)
    {
        var options = EngineFixture.CreateOptions(TinyModelCache.GetOrCreate(TinyModelOptions.Default with { WeightStandardDeviation = 0.2f }));
        options.ContextSize = 131072;
        options.MaxParallelSequences = 1;
        options.FlashAttention = Llama4FlashAttentionMode.Enabled;
        options.ReuseKvCache = reuse;
        return options;
    }
}
