using System.Globalization;
using LLama;
using LLama.Common;
using LLama.Exceptions;
using LLama.Native;
using Microsoft.Extensions.Logging;

namespace Llama4.Core;

// Embeddings run on a second llama.cpp context over the same weights, created at the first request. LLamaSharp
// serialises every llama_decode of the process behind one lock, so this context decodes between the inference loop's
// batches without disturbing them; the context itself is used by one caller at a time (_embeddingGate), and every
// access to _embeddingContext happens while holding that gate.
public sealed partial class Llama4Engine
{
    // llama.cpp accepts sequence ids below 256 (LLAMA_MAX_SEQ) in a unified KV cache.
    private const int MaxEmbeddingSequences = 256;

    private readonly SemaphoreSlim _embeddingGate = new(1, 1);
    private LLamaContext? _embeddingContext;

    /// <summary>Gets the length of the vectors <see cref="EmbedAsync"/> returns: the model's hidden size.</summary>
    public int EmbeddingDimensions => Model.EmbeddingLength;

    /// <summary>
    /// Gets the size in tokens of the embeddings context: the longest input <see cref="EmbedAsync"/> accepts (BOS
    /// included), and the most tokens batched into one decode (<see cref="Llama4EngineOptions.EmbeddingContextSize"/>,
    /// clamped to the model's training context).
    /// </summary>
    public int EmbeddingContextSize => Math.Min(Options.EmbeddingContextSize, Model.TrainingContextLength);

    /// <summary>
    /// Computes one embedding per text: the texts are tokenized as plain text (special-token strings stay text) with
    /// BOS where the model adds one, decoded together in as few decodes as <see cref="EmbeddingContextSize"/> allows
    /// (one sequence per text), pooled as the model file says (mean over all tokens when it says nothing, as Llama 4
    /// files do) and L2-normalised. Thread-safe; runs beside generation. The first call creates the embeddings context.
    /// </summary>
    /// <param name="inputs">The texts; each must be non-empty.</param>
    /// <param name="cancellationToken">Cancels the request while it waits for the embeddings context and between decodes.</param>
    /// <returns>The vectors in input order and the tokens decoded.</returns>
    /// <exception cref="ArgumentException">An input is null or empty.</exception>
    /// <exception cref="Llama4ContextOverflowException">An input has more tokens than <see cref="EmbeddingContextSize"/>; nothing was decoded.</exception>
    /// <exception cref="NotSupportedException">The model file declares rank pooling (a reranker), which gives scores, not embeddings.</exception>
    /// <exception cref="Llama4InferenceException">llama.cpp could not create the embeddings context or failed to decode.</exception>
    /// <exception cref="ObjectDisposedException">The engine was disposed.</exception>
    /// <exception cref="OperationCanceledException">The request was cancelled.</exception>
    public async Task<Llama4EmbeddingResult> EmbedAsync(IReadOnlyList<string> inputs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ThrowIfDisposed();
        var contextSize = EmbeddingContextSize;
        var addBos = _weights.Vocab.ShouldAddBOS;
        var tokens = new LLamaToken[inputs.Count][];
        var total = 0;
        for (var i = 0; i < inputs.Count; i++)
        {
            var text = inputs[i] ?? throw new ArgumentException($"Input {i} is null; pass a non-empty text for every input.", nameof(inputs));
            if (text.Length == 0)
            {
                throw new ArgumentException($"Input {i} is empty; an empty text has no content to embed. Leave it out, or store a fixed vector for it.", nameof(inputs));
            }

            // A long input is tokenized only so far (exact counts up to four contexts, at least 65,536 tokens, so that
            // callers can size their chunks), not to its end.
            var bos = addBos ? 1 : 0;
            var countUpTo = (int)Math.Clamp(4L * contextSize, 65_536, int.MaxValue - 1);
            var textTokens = _tokenizationCache.Get(text, countUpTo, cancellationToken);
            if (textTokens is null || textTokens.Length + bos > contextSize)
            {
                var count = textTokens is null ? countUpTo + 1 : textTokens.Length + bos;
                throw new Llama4ContextOverflowException(
                    $"Input {i} has {(textTokens is null ? "more than " + countUpTo : count.ToString(CultureInfo.InvariantCulture))} tokens, but the embeddings context holds {contextSize}. Split the text into smaller chunks " +
                    $"or load the engine with a larger {nameof(Llama4EngineOptions.EmbeddingContextSize)}.",
                    count,
                    0,
                    contextSize);
            }

            tokens[i] = addBos ? [_weights.Vocab.BOS!.Value, .. textTokens] : textTokens;

            total += tokens[i].Length;
        }

        var vectors = new ReadOnlyMemory<float>[inputs.Count];
        if (inputs.Count == 0)
        {
            return new Llama4EmbeddingResult(vectors, 0);
        }

        await _embeddingGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDisposed();
            var context = _embeddingContext ?? CreateEmbeddingContext(contextSize);
            var batch = new LLamaBatch();
            var first = 0;
            while (first < tokens.Length)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ThrowIfDisposed();
                var count = 0;
                var batchTokens = 0;
                var maxSequences = Math.Min(MaxEmbeddingSequences, checked((int)context.Params.SeqMax));
                while (first + count < tokens.Length && count < maxSequences && batchTokens + tokens[first + count].Length <= contextSize)
                {
                    batchTokens += tokens[first + count].Length;
                    count++;
                }

                batch.Clear();
                for (var s = 0; s < count; s++)
                {
                    var sequence = (LLamaSeqId)s;
                    var input = tokens[first + s];
                    for (var p = 0; p < input.Length; p++)
                    {
                        batch.Add(input[p], p, sequence, true);
                    }
                }

                context.NativeHandle.MemoryClear();
                var result = await Task.Run(() => context.Decode(batch), CancellationToken.None).ConfigureAwait(false);
                if (result != DecodeResult.Ok)
                {
                    throw new Llama4InferenceException($"llama.cpp failed to decode {count} embedding input(s) ({batchTokens} tokens): {result}.");
                }

                for (var s = 0; s < count; s++)
                {
                    vectors[first + s] = Normalise(context.NativeHandle.GetEmbeddingsSeq((LLamaSeqId)s), first + s);
                }

                first += count;
            }

            return new Llama4EmbeddingResult(vectors, total);
        }
        finally
        {
            if (IsDisposed)
            {
                DisposeEmbeddingContext();
            }

            _embeddingGate.Release();
        }
    }

    // Called with _embeddingGate held.
    private LLamaContext CreateEmbeddingContext(int contextSize)
    {
        var pooling = ResolveEmbeddingPooling();
        var parameters = new ModelParams(_contextParams.ModelPath)
        {
            ContextSize = checked((uint)contextSize),
            BatchSize = checked((uint)contextSize),
            // Pooled embeddings need every token of a sequence in one micro-batch.
            UBatchSize = checked((uint)contextSize),
            SeqMax = checked((uint)Math.Min(MaxEmbeddingSequences, contextSize)),
            KVUnified = true,
            SwaFull = false,
            Threads = _contextParams.Threads,
            BatchThreads = _contextParams.BatchThreads,
            GpuLayerCount = _contextParams.GpuLayerCount,
            FlashAttention = _contextParams.FlashAttention,
            TypeK = _contextParams.TypeK,
            TypeV = _contextParams.TypeV,
            Embeddings = true,
            PoolingType = pooling,
        };

        LLamaContext context;
        try
        {
            context = _weights.CreateContext(parameters, _logger);
        }
        catch (RuntimeError ex)
        {
            throw new Llama4InferenceException($"llama.cpp could not create the {contextSize}-token embeddings context: {ex.Message} Lower EmbeddingContextSize.", ex);
        }

        if (context.NativeHandle.PoolingType != pooling)
        {
            context.Dispose();
            throw new Llama4InferenceException($"llama.cpp created the embeddings context with pooling {context.NativeHandle.PoolingType} instead of {pooling}.");
        }

        try
        {
            // The engine's disposal cancels _shutdown: free the context then, or when the request in flight ends.
            _shutdown.Token.Register(static state => ((Llama4Engine)state!).DisposeEmbeddingContextOnShutdown(), this);
        }
        catch (ObjectDisposedException)
        {
            context.Dispose();
            throw;
        }

        _embeddingContext = context;
        var options = Options.Clone();
        options.ContextSize = contextSize;
        options.MaxParallelSequences = 1;
        options.BatchSize = contextSize;
        options.MicroBatchSize = contextSize;
        options.UnifiedKvCache = true;
        options.FullSizeSwaCache = false;
        options.FlashAttention = _contextParams.FlashAttention == true ? Llama4FlashAttentionMode.Enabled : Llama4FlashAttentionMode.Disabled;
        var estimate = Llama4MemoryEstimator.Estimate(Model, options);
        LogEmbeddingContextCreated(_logger, contextSize, pooling, estimate.KvCacheBytes >> 20, (estimate.ComputeBufferBytes + estimate.OutputBufferBytes) >> 20);
        return context;
    }

    private LLamaPoolingType ResolveEmbeddingPooling()
    {
        // Llama 4 files carry no pooling type; a file that does (a fine-tuned embedding model) is followed.
        if (!_weights.Metadata.TryGetValue(Model.Architecture + ".pooling_type", out var value)
            || !int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var declared))
        {
            return LLamaPoolingType.Mean;
        }

        return (LLamaPoolingType)declared switch
        {
            LLamaPoolingType.Mean or LLamaPoolingType.CLS or LLamaPoolingType.Last => (LLamaPoolingType)declared,
            LLamaPoolingType.Rank => throw new NotSupportedException(
                $"The model file declares rank pooling ({Model.Architecture}.pooling_type = {declared}): it is a reranker and gives scores, not embeddings. Use an embedding or generative model."),
            _ => LLamaPoolingType.Mean,
        };
    }

    private static ReadOnlyMemory<float> Normalise(ReadOnlySpan<float> pooled, int input)
    {
        double sum = 0;
        foreach (var value in pooled)
        {
            sum += (double)value * value;
        }

        var norm = Math.Sqrt(sum);
        if (!double.IsFinite(norm) || norm == 0)
        {
            throw new Llama4InferenceException($"The pooled embedding of input {input} has norm {norm}; it cannot be normalised.");
        }

        var vector = new float[pooled.Length];
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = (float)(pooled[i] / norm);
        }

        return vector;
    }

    private void DisposeEmbeddingContextOnShutdown()
    {
        // A request in flight holds the gate and frees the context itself when it ends (it sees IsDisposed).
        if (_embeddingGate.Wait(0))
        {
            try
            {
                DisposeEmbeddingContext();
            }
            finally
            {
                _embeddingGate.Release();
            }
        }
    }

    // Called with _embeddingGate held.
    private void DisposeEmbeddingContext()
    {
        _embeddingContext?.Dispose();
        _embeddingContext = null;
    }

    [LoggerMessage(EventId = 140, Level = LogLevel.Information, Message = "Created the embeddings context: {ContextSize} tokens, pooling {Pooling}, estimated KV cache {KvMiB} MiB, compute and output buffers {BuffersMiB} MiB.")]
    private static partial void LogEmbeddingContextCreated(ILogger logger, int contextSize, LLamaPoolingType pooling, long kvMiB, long buffersMiB);
}
