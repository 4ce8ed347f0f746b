namespace Llama4.Core;

/// <summary>
/// How to load a Llama 4 GGUF and run it. Validated when the engine loads (<see cref="Validate"/>); every default is
/// documented on its property.
/// </summary>
public sealed class Llama4EngineOptions
{
    /// <summary>The default context size: 131072 tokens (128k).</summary>
    public const int DefaultContextSize = 131072;

    /// <summary>The default embedding context size: 512 tokens.</summary>
    public const int DefaultEmbeddingContextSize = 512;

    /// <summary>The default <see cref="MaxImageBytes"/>: 20 MiB.</summary>
    public const int DefaultMaxImageBytes = 20 * 1024 * 1024;

    /// <summary>The default <see cref="MaxImagePixels"/>: 33,554,432.</summary>
    public const long DefaultMaxImagePixels = 32L * 1024 * 1024;

    /// <summary>Gets or sets the path of the model's GGUF file (the first file of a split model). Required.</summary>
    public string ModelPath { get; set; } = string.Empty;

    /// <summary>Gets or sets the model id reported to callers; defaults to the GGUF's <c>general.name</c>, else the file name.</summary>
    public string? ModelId { get; set; }

    /// <summary>
    /// Gets or sets the context size in tokens, shared by all live sequences. Default 131072, clamped to the model's
    /// training context. Always set explicitly: llama.cpp would otherwise allocate the training context (10M tokens for Scout).
    /// </summary>
    public int ContextSize { get; set; } = DefaultContextSize;

    /// <summary>Gets or sets how many sequences (concurrent requests) decode together. Default 8, at most 256.</summary>
    public int MaxParallelSequences { get; set; } = 8;

    /// <summary>Gets or sets the number of layers offloaded to the GPU; <see langword="null"/> (default) offloads all of them on a GPU backend and none on the CPU.</summary>
    public int? GpuLayerCount { get; set; }

    /// <summary>Gets or sets the native backend. Default <see cref="Llama4Backend.Auto"/>. Applies process-wide: the first engine loaded decides it.</summary>
    public Llama4Backend Backend { get; set; } = Llama4Backend.Auto;

    /// <summary>Gets or sets the flash-attention mode. Default <see cref="Llama4FlashAttentionMode.Auto"/> (on with GPU offload, off on the CPU).</summary>
    public Llama4FlashAttentionMode FlashAttention { get; set; } = Llama4FlashAttentionMode.Auto;

    /// <summary>Gets or sets the key-cache element type. Default <see cref="Llama4KvCacheType.F16"/>.</summary>
    public Llama4KvCacheType KeyCacheType { get; set; } = Llama4KvCacheType.F16;

    /// <summary>Gets or sets the value-cache element type. Default <see cref="Llama4KvCacheType.F16"/>. Quantized types need flash attention.</summary>
    public Llama4KvCacheType ValueCacheType { get; set; } = Llama4KvCacheType.F16;

    /// <summary>
    /// Gets or sets whether the chunked-attention (SWA) layers get a full-size cache. Default <see langword="false"/>:
    /// those layers then hold only what their 8192-token chunks need (about 7 GiB instead of 24 GiB of KV for Scout at
    /// 128k), at the price that a cached prefix can be rolled back only within its current chunk.
    /// </summary>
    public bool FullSizeSwaCache { get; set; }

    /// <summary>
    /// Gets or sets whether all sequences share one KV cache of <see cref="ContextSize"/> cells (default
    /// <see langword="true"/>: any single request can use the whole context). With <see langword="false"/>, each sequence
    /// gets its own stream of <c>ContextSize / MaxParallelSequences</c> cells: a request can then use only that share, but
    /// attention no longer spans the other sequences' cells, which makes concurrent requests with long prompts several
    /// times faster (see docs/performance.md). Choose <see langword="false"/> for servers with many concurrent, shorter requests.
    /// </summary>
    public bool UnifiedKvCache { get; set; } = true;

    /// <summary>
    /// Gets or sets whether KV cells are reused across requests. Default <see langword="true"/>: a finished request's
    /// sequence stays cached (idle) and a later request whose prompt starts with the same tokens (the next turn of the
    /// conversation, or a new conversation with the same system prompt and tools) decodes only what follows the common
    /// prefix. <see langword="false"/> re-processes every prompt in full (the stateless behaviour) and frees each
    /// sequence when its request ends.
    /// </summary>
    public bool ReuseKvCache { get; set; } = true;

    /// <summary>
    /// Gets or sets how many finished sequences stay cached for reuse; <see langword="null"/> (default) allows as many as
    /// <see cref="MaxParallelSequences"/>. Idle sequences give their slot and cells back, least recently used first, as
    /// soon as a running request needs them. With a unified KV cache every decode attends over all cells in use, so
    /// fewer idle sequences make concurrent decoding cheaper; with <see cref="UnifiedKvCache"/> off they cost nothing
    /// while idle.
    /// </summary>
    public int? MaxIdleSequences { get; set; }

    /// <summary>Gets or sets whether the file is memory-mapped instead of read into memory. Default <see langword="true"/>.</summary>
    public bool MemoryMap { get; set; } = true;

    /// <summary>Gets or sets the threads used for generation; <see langword="null"/> (default) uses LLamaSharp's choice (half the logical cores).</summary>
    public int? Threads { get; set; }

    /// <summary>Gets or sets the threads used for prompt processing; <see langword="null"/> (default) uses the value of <see cref="Threads"/>.</summary>
    public int? BatchThreads { get; set; }

    /// <summary>
    /// Gets or sets how many threads draw the next tokens of the sequences of one decode step at once (the inference
    /// loop's thread is one of them). <see langword="null"/> (default) uses the logical cores llama.cpp's own threads
    /// leave free: the processor count minus the larger of <see cref="Threads"/> and <see cref="BatchThreads"/> (each
    /// defaulting to half the logical cores), at least 1. Sampling runs between two decodes, so these threads never
    /// compete with llama.cpp's; each draw over Llama 4's 202,048-token vocabulary costs about a millisecond of CPU (see
    /// docs/performance.md). The tokens drawn do not depend on this value.
    /// </summary>
    public int? SamplingThreads { get; set; }

    /// <summary>Gets or sets the most tokens submitted to one decode call. Default 512.</summary>
    public int BatchSize { get; set; } = 512;

    /// <summary>Gets or sets the physical micro-batch size llama.cpp splits a decode into. Default 512; at most <see cref="BatchSize"/>.</summary>
    public int MicroBatchSize { get; set; } = 512;

    /// <summary>
    /// Gets or sets whether the mixture-of-experts tensors stay in CPU memory while the rest is offloaded (how Scout runs
    /// on one 24-48 GB GPU). Default <see langword="false"/>.
    /// </summary>
    public bool ExpertsOnCpu { get; set; }

    /// <summary>
    /// Gets or sets the sampling defaults for requests that leave a value unset, applied before the model's own
    /// defaults. Default <see langword="null"/>: the model's defaults alone.
    /// </summary>
    public Llama4SamplingOptions? DefaultSampling { get; set; }

    /// <summary>
    /// Gets or sets the size in tokens of the separate llama.cpp context that computes embeddings
    /// (<see cref="Llama4Engine.EmbedAsync"/>): the longest input it accepts, and the most tokens of several inputs
    /// batched into one decode. Default 512, clamped to the model's training context. The context is created at the
    /// first embedding request and holds a KV cache and compute buffers of this size beside the generation context
    /// (see docs/embeddings.md for the cost).
    /// </summary>
    public int EmbeddingContextSize { get; set; } = DefaultEmbeddingContextSize;

    /// <summary>
    /// Gets or sets the path of the Llama 4 vision projector (the <c>mmproj</c> GGUF converted from the same checkpoint
    /// as <see cref="ModelPath"/>), or <see langword="null"/> for a text-only engine. When set, the projector is checked
    /// in managed code (malformed projectors crash llama.cpp natively), loaded with the model, and user turns may carry
    /// images (<see cref="Llama4Message.Images"/>). See docs/vision.md.
    /// </summary>
    public string? ProjectorPath { get; set; }

    /// <summary>Gets or sets the largest encoded image accepted, in bytes. Default 20 MiB.</summary>
    public int MaxImageBytes { get; set; } = DefaultMaxImageBytes;

    /// <summary>
    /// Gets or sets the most pixels (width x height, read from the image header before decoding) an image may have.
    /// Default 33,554,432 (for example 8192 x 4096): decoding needs 3 bytes per pixel, so this bounds the memory an image
    /// can take, whatever its compressed size.
    /// </summary>
    public long MaxImagePixels { get; set; } = DefaultMaxImagePixels;

    /// <summary>Checks every setting and returns the problems found, each naming the setting and the fix.</summary>
    /// <returns>The problems; empty when the options are valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(ModelPath))
        {
            errors.Add($"{nameof(ModelPath)} is required: set it to the path of a Llama 4 GGUF file.");
        }

        if (ContextSize < 16)
        {
            errors.Add($"{nameof(ContextSize)} is {ContextSize}; it must be at least 16 tokens (default {DefaultContextSize}).");
        }

        if (EmbeddingContextSize < 16)
        {
            errors.Add($"{nameof(EmbeddingContextSize)} is {EmbeddingContextSize}; it must be at least 16 tokens (default {DefaultEmbeddingContextSize}).");
        }

        if (MaxParallelSequences is < 1 or > 256)
        {
            errors.Add($"{nameof(MaxParallelSequences)} is {MaxParallelSequences}; it must be between 1 and 256 (llama.cpp's sequence-id limit).");
        }

        if (GpuLayerCount is < 0)
        {
            errors.Add($"{nameof(GpuLayerCount)} is {GpuLayerCount}; use null for the backend's default, 0 for none, or a positive layer count.");
        }

        if (Threads is < 1)
        {
            errors.Add($"{nameof(Threads)} is {Threads}; use null for the default or a positive number.");
        }

        if (BatchThreads is < 1)
        {
            errors.Add($"{nameof(BatchThreads)} is {BatchThreads}; use null for the default or a positive number.");
        }

        if (SamplingThreads is < 1)
        {
            errors.Add($"{nameof(SamplingThreads)} is {SamplingThreads}; use null for the default (the cores llama.cpp's threads leave free) or a positive number.");
        }

        if (BatchSize < 1)
        {
            errors.Add($"{nameof(BatchSize)} is {BatchSize}; it must be positive (default 512).");
        }

        if (MicroBatchSize < 1 || MicroBatchSize > BatchSize)
        {
            errors.Add($"{nameof(MicroBatchSize)} is {MicroBatchSize}; it must be positive and at most {nameof(BatchSize)} ({BatchSize}).");
        }

        if (!UnifiedKvCache && MaxParallelSequences > 0 && ContextSize / MaxParallelSequences < 16)
        {
            errors.Add($"{nameof(UnifiedKvCache)} is false, so each of the {MaxParallelSequences} sequences gets ContextSize / MaxParallelSequences = {ContextSize / MaxParallelSequences} cells; raise {nameof(ContextSize)} or lower {nameof(MaxParallelSequences)}.");
        }

        if (MaxIdleSequences is < 0 || MaxIdleSequences > MaxParallelSequences)
        {
            errors.Add($"{nameof(MaxIdleSequences)} is {MaxIdleSequences}; use null for the default or a value from 0 to {nameof(MaxParallelSequences)} ({MaxParallelSequences}).");
        }

        if (IsQuantized(ValueCacheType) && FlashAttention == Llama4FlashAttentionMode.Disabled)
        {
            errors.Add($"{nameof(ValueCacheType)} {ValueCacheType} needs flash attention, but {nameof(FlashAttention)} is Disabled: enable it or use F16.");
        }

        if (ProjectorPath is not null && string.IsNullOrWhiteSpace(ProjectorPath))
        {
            errors.Add($"{nameof(ProjectorPath)} is empty; set it to the path of a Llama 4 mmproj GGUF file, or leave it null for a text-only engine.");
        }

        if (MaxImageBytes < 1)
        {
            errors.Add($"{nameof(MaxImageBytes)} is {MaxImageBytes}; it must be positive (default {DefaultMaxImageBytes}).");
        }

        if (MaxImagePixels < 1)
        {
            errors.Add($"{nameof(MaxImagePixels)} is {MaxImagePixels}; it must be positive (default {DefaultMaxImagePixels}).");
        }

        if (!Enum.IsDefined(Backend))
        {
            errors.Add($"{nameof(Backend)} {Backend} is not a known backend.");
        }

        try
        {
            DefaultSampling?.Validate(nameof(DefaultSampling));
        }
        catch (ArgumentOutOfRangeException ex)
        {
            errors.Add($"{nameof(DefaultSampling)}: {ex.Message.Split(" (Parameter", 2)[0]}");
        }

        return errors;
    }

    /// <summary>The default <see cref="SamplingThreads"/>: the logical cores llama.cpp's generation and batch threads leave free, at least 1.</summary>
    internal static int DefaultSamplingThreads(int? threads, int? batchThreads)
    {
        // LLamaSharp's default for an unset thread count: half the logical cores.
        var llamaDefault = Math.Max(Environment.ProcessorCount / 2, 1);
        var generation = threads ?? llamaDefault;
        var batch = batchThreads ?? generation;
        return Math.Max(1, Environment.ProcessorCount - Math.Max(generation, batch));
    }

    internal static bool IsQuantized(Llama4KvCacheType type) => type is Llama4KvCacheType.Q8_0 or Llama4KvCacheType.Q4_0;

    internal Llama4EngineOptions Clone() => (Llama4EngineOptions)MemberwiseClone();
}
