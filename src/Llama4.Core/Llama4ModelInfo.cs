namespace Llama4.Core;

/// <summary>
/// What a Llama 4 GGUF file says about its model, read and checked before llama.cpp sees the file
/// (see <c>Llama4ModelValidator</c>). All values come from the file's metadata.
/// </summary>
public sealed class Llama4ModelInfo
{
    internal Llama4ModelInfo()
    {
    }

    /// <summary>Gets the full path of the model file (the first shard of a split model).</summary>
    public string Path { get; internal init; } = string.Empty;

    /// <summary>Gets the size of the model in bytes (all shards together for a split model).</summary>
    public long FileSizeBytes { get; internal init; }

    /// <summary>Gets the number of files the model is split into (1 when it is not split).</summary>
    public int ShardCount { get; internal init; } = 1;

    /// <summary>Gets the GGUF version of the file (2 or 3).</summary>
    public int GgufVersion { get; internal init; }

    /// <summary>Gets the model's name: <c>general.name</c>, or the file name without extension when absent.</summary>
    public string Name { get; internal init; } = string.Empty;

    /// <summary>Gets the architecture (<c>general.architecture</c>); always <c>llama4</c> for a validated file.</summary>
    public string Architecture { get; internal init; } = string.Empty;

    /// <summary>Gets the context length the model was trained for (<c>llama4.context_length</c>; 10,485,760 for
    /// Scout). A context this large rarely fits in memory: choose the context size explicitly.</summary>
    public int TrainingContextLength { get; internal init; }

    /// <summary>Gets the model width (<c>llama4.embedding_length</c>).</summary>
    public int EmbeddingLength { get; internal init; }

    /// <summary>Gets the number of transformer blocks (<c>llama4.block_count</c>).</summary>
    public int BlockCount { get; internal init; }

    /// <summary>Gets the number of query heads (<c>llama4.attention.head_count</c>; the largest value for per-layer arrays).</summary>
    public int HeadCount { get; internal init; }

    /// <summary>Gets the number of key/value heads (<c>llama4.attention.head_count_kv</c>, or <see cref="HeadCount"/> when absent).</summary>
    public int KvHeadCount { get; internal init; }

    /// <summary>Gets the size of one attention head's key (<c>llama4.attention.key_length</c>, or
    /// <see cref="EmbeddingLength"/> / <see cref="HeadCount"/> when absent, as llama.cpp reads it).</summary>
    public int KeyLength { get; internal init; }

    /// <summary>Gets the size of one attention head's value (<c>llama4.attention.value_length</c>, or
    /// <see cref="EmbeddingLength"/> / <see cref="HeadCount"/> when absent, as llama.cpp reads it).</summary>
    public int ValueLength { get; internal init; }

    /// <summary>Gets the KV head count of each layer (a per-layer <c>llama4.attention.head_count_kv</c> array, or
    /// <see cref="KvHeadCount"/> repeated); empty means <see cref="KvHeadCount"/> for every layer.</summary>
    internal IReadOnlyList<int> KvHeadCountPerLayer { get; init; } = [];

    /// <summary>Gets the routed experts per MoE layer (<c>llama4.expert_count</c>: 16 for Scout, 128 for Maverick).</summary>
    public int ExpertCount { get; internal init; }

    /// <summary>Gets the experts each token uses (<c>llama4.expert_used_count</c>).</summary>
    public int ExpertUsedCount { get; internal init; }

    /// <summary>Gets the FFN width of dense layers (<c>llama4.feed_forward_length</c>; the largest value for per-layer arrays).</summary>
    public int FeedForwardLength { get; internal init; }

    /// <summary>Gets the FFN width of each expert (<c>llama4.expert_feed_forward_length</c>).</summary>
    public int ExpertFeedForwardLength { get; internal init; }

    /// <summary>Gets the MoE interleave step (<c>llama4.interleave_moe_layer_step</c>): layer i is MoE iff (i + 1) % step == 0.</summary>
    public int MoeLayerStep { get; internal init; }

    /// <summary>Gets the number of tokens in the vocabulary (<c>tokenizer.ggml.tokens</c>).</summary>
    public int VocabularySize { get; internal init; }

    /// <summary>Gets the bytes of tensor data (the weights) in the file, all shards together: the range llama.cpp maps
    /// or reads, without the header and metadata.</summary>
    public long TensorDataBytes { get; internal init; }

    /// <summary>Gets the number of tensors (<c>split.tensors.count</c> for a split model).</summary>
    public int TensorCount { get; internal init; }

    /// <summary>Gets the Jinja chat template (<c>tokenizer.chat_template</c>), or null when the file has none.
    /// llama.cpp does not execute it; it is informational.</summary>
    public string? ChatTemplate { get; internal init; }

    /// <summary>
    /// Gets the sampling defaults the file recommends (llama.cpp's <c>general.sampling.*</c> keys: <c>temp</c>,
    /// <c>top_k</c>, <c>top_p</c>, <c>min_p</c>, <c>penalty_repeat</c>, <c>penalty_last_n</c>). Each value is null when
    /// its key is absent (or has an unusable type or value); never null itself.
    /// </summary>
    public Llama4SamplingOptions SamplingDefaults { get; internal init; } = new();
}
