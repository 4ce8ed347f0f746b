namespace Llama4.Core.Gguf;

/// <summary>The widths a llama4 model's metadata declares, from which llama.cpp derives every tensor's shape.</summary>
internal sealed record Llama4ModelShape
{
    /// <summary>Gets <c>llama4.embedding_length</c>.</summary>
    public required int EmbeddingLength { get; init; }

    /// <summary>Gets the number of tokens in <c>tokenizer.ggml.tokens</c>.</summary>
    public required int VocabularySize { get; init; }

    /// <summary>Gets <c>llama4.block_count</c>.</summary>
    public required int BlockCount { get; init; }

    /// <summary>Gets <c>llama4.attention.head_count</c> (the same for every layer).</summary>
    public required int HeadCount { get; init; }

    /// <summary>Gets <c>llama4.attention.head_count_kv</c> (the same for every layer).</summary>
    public required int KvHeadCount { get; init; }

    /// <summary>Gets the key head size (<c>llama4.attention.key_length</c>, or embedding_length / head_count).</summary>
    public required int KeyLength { get; init; }

    /// <summary>Gets the value head size (<c>llama4.attention.value_length</c>, or embedding_length / head_count).</summary>
    public required int ValueLength { get; init; }

    /// <summary>Gets the RoPE dimensions (<c>llama4.rope.dimension_count</c>, or the key head size).</summary>
    public required int RopeDimensions { get; init; }

    /// <summary>Gets <c>llama4.feed_forward_length</c> per layer (used by the dense layers).</summary>
    public required IReadOnlyList<int> FeedForwardLengths { get; init; }

    /// <summary>Gets <c>llama4.expert_feed_forward_length</c> (each expert and the shared expert).</summary>
    public required int ExpertFeedForwardLength { get; init; }

    /// <summary>Gets <c>llama4.expert_count</c>.</summary>
    public required int ExpertCount { get; init; }

    /// <summary>Gets <c>llama4.interleave_moe_layer_step</c>: layer i is a MoE layer iff (i + 1) % step == 0.</summary>
    public required int MoeLayerStep { get; init; }

    /// <summary>True when layer <paramref name="layer"/> is a mixture-of-experts layer.</summary>
    public bool IsMoeLayer(int layer) => (layer + 1) % MoeLayerStep == 0;
}
