using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Llama4.Core.Diagnostics;
using Llama4.Core.Gguf;
using Llama4.Core.Inference;
using Llama4.Core.Inference.Sampling;
using Llama4.Core.Sessions;
using Llama4.Core.Grammars;
using Llama4.Core.Native;
using Llama4.Core.ToolCalling;
using System.Text.Json;
using LLama;
using LLama.Abstractions;
using LLama.Batched;
using LLama.Common;
using LLama.Exceptions;
using LLama.Native;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Llama4.Core;

/// <summary>
/// An in-process Llama 4 model: the loaded weights, one llama.cpp context and ONE inference loop that owns it.
/// Requests from any number of threads are queued to the loop; each gets its own sequence, and all live sequences
/// decode together in the same batch. Thread-safe. Share one engine per model across the application.
/// </summary>
public sealed partial class Llama4Engine : IAsyncDisposable, IDisposable
{
    private static readonly Llama4SamplingOptions MetaInstructDefaults = new()
    {
        Temperature = 0.6f,
        TopP = 0.9f,
        TopK = 0,
        MinP = 0f,
        RepeatPenalty = 1f,
        FrequencyPenalty = 0f,
        PresencePenalty = 0f,
        PenaltyLastTokens = 64,
    };

    private readonly LLamaWeights _weights;
    private readonly ModelParams _contextParams;
    private readonly ILogger _logger;
    private readonly Llama4SamplingOptions _samplingDefaults;
    private readonly Dictionary<string, LLamaToken> _specialTokens;
    private readonly TokenizationCache _tokenizationCache;
    private readonly int _longestTokenBytes;
    private readonly HashSet<LLamaToken> _endOfGenerationTokens;
    // Requests (GenerationSession) and commands (LoopCommand) for the loop, in arrival order.
    private readonly Channel<object> _incoming = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _shutdown = new();
    private readonly SequenceCache _cache;
    private readonly Task _loop;
    private readonly Lazy<SessionHeader> _sessionIdentity;
    private readonly List<GenerationSession> _active = [];
    private readonly EngineMetrics _metrics;
    private readonly ParallelSampler _sampler;
    private readonly List<GenerationSession> _drawing = [];
    private readonly MtmdWeights? _projector;
    private readonly Llama4ProjectorInfo? _projectorInfo;
    private readonly ulong _projectorIdentity;
    private readonly string _mediaMarker;
    private int _disposed;

    // Counters: written by the loop, read by GetStatistics.
    private int _liveSequences;
    private int _queuedRequests;
    private int _kvCellsInUse;
    private long _completedRequests;
    private long _decodeCalls;
    private long _multiSequenceDecodeCalls;
    private int _maxSequencesInOneDecode;
    private long _tokensDecoded;
    private long _tokensGenerated;
    private int _idleSequences;
    private long _requestsReusingCache;
    private long _promptTokensReused;
    private long _promptTokensProcessed;
    private long _chunkLimitedReuses;
    private long _evictedSequences;
    private long _rejectedReuses;

    private Llama4Engine(
        Llama4EngineOptions options,
        Llama4ModelInfo model,
        LLamaWeights weights,
        ModelParams contextParams,
        Llama4Backend activeBackend,
        ILogger logger,
        EngineMetrics metrics,
        (MtmdWeights Weights, Llama4ProjectorInfo Info, ulong Identity, ImageMarkerTokens Markers)? projector)
    {
        Options = options;
        _projector = projector?.Weights;
        _projectorInfo = projector?.Info;
        _projectorIdentity = projector?.Identity ?? 0;
        _imageMarkers = projector?.Markers ?? default;
        _mediaMarker = NativeApi.MtmdDefaultMarker() ?? "<__media__>";
        Model = model;
        _weights = weights;
        _contextParams = contextParams;
        _logger = logger;
        ActiveBackend = activeBackend;
        ModelId = options.ModelId ?? model.Name;
        ContextSize = checked((int)contextParams.ContextSize!.Value);
        MaxParallelSequences = checked((int)contextParams.SeqMax);
        SequenceContextSize = options.UnifiedKvCache ? ContextSize : ContextSize / MaxParallelSequences;
        _specialTokens = ResolveSpecialTokens(weights, model.Path);
        _tokenizationCache = new TokenizationCache(new PlainTextTokenizer(text => weights.Tokenize(text, false, false, Encoding.UTF8)));
        _longestTokenBytes = LongestTokenBytes(weights);
        _endOfGenerationTokens = [.. new[] { Llama4SpecialTokens.EndOfTurn, Llama4SpecialTokens.EndOfMessage, Llama4SpecialTokens.EndOfText }
            .Where(_specialTokens.ContainsKey)
            .Select(t => _specialTokens[t])];
        _samplingDefaults = (options.DefaultSampling ?? new Llama4SamplingOptions())
            .WithFallback(ModelSamplingDefaults(model.SamplingDefaults))
            .WithFallback(MetaInstructDefaults);
        ChunkSize = Math.Max(0, weights.NativeHandle.SWACount);
        _cache = new SequenceCache(
            new BatchedExecutor(weights, contextParams),
            MaxParallelSequences,
            ContextSize,
            options.UnifiedKvCache,
            ChunkSize,
            options.ReuseKvCache,
            options.MaxIdleSequences ?? MaxParallelSequences);
        _sessionIdentity = new Lazy<SessionHeader>(CreateSessionIdentity, LazyThreadSafetyMode.ExecutionAndPublication);
        SamplingThreads = options.SamplingThreads ?? Llama4EngineOptions.DefaultSamplingThreads(options.Threads, options.BatchThreads);
        var prefixes = new Lazy<TokenPrefixes>(() => TokenPrefixes.Build(weights.NativeHandle, weights.Vocab.Count), LazyThreadSafetyMode.ExecutionAndPublication);
        _sampler = new ParallelSampler(SamplingThreads, weights.Vocab.Count, () => prefixes.Value);
        _metrics = metrics;
        _loop = Task.Run(RunLoopAsync);
        metrics.Register(this);
    }

    /// <summary>Gets a copy of the options the engine was loaded with.</summary>
    public Llama4EngineOptions Options { get; }

    /// <summary>Gets what the GGUF file says about the model.</summary>
    public Llama4ModelInfo Model { get; }

    /// <summary>Gets the model id reported to callers.</summary>
    public string ModelId { get; }

    /// <summary>Gets the context size in tokens, shared by all live sequences.</summary>
    public int ContextSize { get; }

    /// <summary>
    /// Gets the most tokens one request (prompt plus output) can hold: <see cref="ContextSize"/> with a unified KV cache,
    /// <c>ContextSize / MaxParallelSequences</c> with one KV stream per sequence.
    /// </summary>
    public int SequenceContextSize { get; }

    /// <summary>Gets how many sequences can decode at the same time; further requests wait in a queue.</summary>
    public int MaxParallelSequences { get; }

    /// <summary>
    /// Gets the chunked-attention window of the model in tokens (8192 for Llama 4, set by llama.cpp), or 0 when the
    /// model has none. With a small SWA cache a cached prefix can be reused only up to what this window still holds.
    /// </summary>
    public int ChunkSize { get; }

    /// <summary>
    /// Gets how many threads draw the next tokens of the sequences of a decode step at once
    /// (<see cref="Llama4EngineOptions.SamplingThreads"/>, resolved).
    /// </summary>
    public int SamplingThreads { get; }

    /// <summary>Gets the backend the native library runs on (<see cref="Llama4Backend.Cuda"/> or <see cref="Llama4Backend.Cpu"/>).</summary>
    public Llama4Backend ActiveBackend { get; }

    /// <summary>Loads a model after validating the options and the file.</summary>
    /// <param name="options">The engine options.</param>
    /// <param name="loggerFactory">Where llama.cpp's log and the engine's own log go; optional.</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <returns>The loaded engine.</returns>
    /// <exception cref="ArgumentException">An option is invalid; the message names each bad option.</exception>
    /// <exception cref="Llama4ModelValidationException">The file is missing, not a GGUF, truncated, not a Llama 4 model, or would crash llama.cpp; or llama.cpp refused it.</exception>
    /// <exception cref="Llama4BackendUnavailableException">The requested backend could not be loaded.</exception>
    /// <exception cref="InsufficientMemoryException">On the CPU, the KV cache and compute buffers of the configuration exceed the memory the process can use.</exception>
    public static Task<Llama4Engine> LoadAsync(
        Llama4EngineOptions options,
        ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default) => LoadAsync(options, loggerFactory, meterFactory: null, cancellationToken);

    /// <summary>Loads a model after validating the options and the file, recording metrics through a meter factory.</summary>
    /// <param name="options">The engine options.</param>
    /// <param name="loggerFactory">Where llama.cpp's log and the engine's own log go; optional.</param>
    /// <param name="meterFactory">
    /// Creates the <see cref="Llama4Telemetry.MeterName"/> meter (dependency injection provides one); null uses a
    /// process-wide meter of that name.
    /// </param>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <returns>The loaded engine.</returns>
    /// <exception cref="ArgumentException">An option is invalid; the message names each bad option.</exception>
    /// <exception cref="Llama4ModelValidationException">The file is missing, not a GGUF, truncated, not a Llama 4 model, or would crash llama.cpp; or llama.cpp refused it.</exception>
    /// <exception cref="Llama4BackendUnavailableException">The requested backend could not be loaded.</exception>
    /// <exception cref="InsufficientMemoryException">On the CPU, the KV cache and compute buffers of the configuration exceed the memory the process can use.</exception>
    public static async Task<Llama4Engine> LoadAsync(
        Llama4EngineOptions options,
        ILoggerFactory? loggerFactory,
        IMeterFactory? meterFactory,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options = options.Clone();
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid Llama 4 engine options: " + string.Join(" ", errors), nameof(options));
        }

        loggerFactory ??= NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger<Llama4Engine>();
        var model = Llama4ModelValidator.Validate(options.ModelPath);
        if (options.ProjectorPath is { } projectorPath)
        {
            // Malformed projectors crash mtmd natively: refuse them before any native call.
            Llama4ProjectorValidator.Validate(projectorPath, model);
        }

        cancellationToken.ThrowIfCancellationRequested();

        NativeRuntime.EnsureConfigured(options.Backend, loggerFactory.CreateLogger("Llama4.Core.LlamaCpp"));
        bool gpuOffload;
        try
        {
            gpuOffload = NativeApi.llama_supports_gpu_offload();
        }
        catch (Exception ex) when (ex is RuntimeError or DllNotFoundException or TypeInitializationException)
        {
            throw new Llama4BackendUnavailableException(
                $"llama.cpp's native library for backend {options.Backend} could not be loaded: {ex.Message} " +
                "Reference LLamaSharp.Backend.Cpu (or LLamaSharp.Backend.Cuda12 with a CUDA 12 runtime) in the application.", ex);
        }

        if (options.Backend == Llama4Backend.Cuda && !gpuOffload)
        {
            throw new Llama4BackendUnavailableException(
                "Backend Cuda was requested, but the loaded llama.cpp library cannot offload to a GPU. Reference " +
                "LLamaSharp.Backend.Cuda12 (build with -p:Llama4UseCuda=true), install the CUDA 12 runtime and driver, or use Backend Auto or Cpu.");
        }

        var activeBackend = gpuOffload ? Llama4Backend.Cuda : Llama4Backend.Cpu;
        if (options.Backend == Llama4Backend.Auto && !gpuOffload)
        {
            LogCpuFallback(logger);
        }

        var contextSize = Math.Min(options.ContextSize, model.TrainingContextLength);
        var gpuLayers = options.GpuLayerCount ?? (gpuOffload ? model.BlockCount + 1 : 0);
        var flashAttention = options.FlashAttention switch
        {
            Llama4FlashAttentionMode.Enabled => true,
            Llama4FlashAttentionMode.Disabled => false,
            _ => (gpuOffload && gpuLayers > 0) || Llama4EngineOptions.IsQuantized(options.ValueCacheType),
        };

        // The estimate also checks what llama.cpp would refuse without LLamaSharp noticing (a quantized cache type whose
        // blocks do not divide the heads, with flash attention): the first decode would then crash the process.
        var resolved = options.Clone();
        resolved.FlashAttention = flashAttention ? Llama4FlashAttentionMode.Enabled : Llama4FlashAttentionMode.Disabled;
        Llama4MemoryEstimate estimate;
        try
        {
            estimate = Llama4MemoryEstimator.Estimate(model, resolved);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"Invalid Llama 4 engine options for '{model.Name}': {ex.Message}", nameof(options), ex);
        }

        LogMemoryEstimate(logger, estimate.WeightsBytes >> 20, estimate.KvCacheBytes >> 20, (estimate.ComputeBufferBytes + estimate.OutputBufferBytes) >> 20, estimate.TotalBytes >> 20);
        if (!gpuOffload)
        {
            // On the CPU the KV cache and the buffers are ordinary allocations: more than the machine has cannot work
            // (the weights are memory-mapped and only page in, so they are not counted).
            var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
            var needed = estimate.KvCacheBytes + estimate.ComputeBufferBytes + estimate.OutputBufferBytes;
            if (needed > available)
            {
                throw new InsufficientMemoryException(
                    $"The KV cache and compute buffers of this configuration need about {ToMiB(needed):F0} MiB (KV {ToMiB(estimate.KvCacheBytes):F0} MiB, buffers {ToMiB(estimate.ComputeBufferBytes + estimate.OutputBufferBytes):F0} MiB), " +
                    $"but the process can use {ToMiB(available):F0} MiB. Lower ContextSize or MaxParallelSequences, use Q8_0/Q4_0 KeyCacheType and ValueCacheType (with flash attention), " +
                    "keep FullSizeSwaCache off, or enable FlashAttention (a much smaller compute buffer at long contexts). See docs/context-management.md.");
            }
        }

        var parameters = new ModelParams(options.ModelPath)
        {
            ContextSize = checked((uint)contextSize),
            SeqMax = checked((uint)options.MaxParallelSequences),
            BatchSize = checked((uint)options.BatchSize),
            UBatchSize = checked((uint)options.MicroBatchSize),
            Threads = options.Threads,
            BatchThreads = options.BatchThreads ?? options.Threads,
            GpuLayerCount = gpuLayers,
            FlashAttention = flashAttention,
            TypeK = ToGgmlType(options.KeyCacheType),
            TypeV = ToGgmlType(options.ValueCacheType),
            SwaFull = options.FullSizeSwaCache,
            KVUnified = options.UnifiedKvCache,
            LoadMode = options.MemoryMap ? LLamaLoadMode.MemoryMap : LLamaLoadMode.None,
        };
        if (options.ExpertsOnCpu)
        {
            parameters.TensorBufferOverrides.Add(new TensorBufferOverride(@"\.ffn_(up|down|gate)_exps\.", "CPU"));
        }

        LogLoading(logger, options.ModelPath, activeBackend, contextSize, options.MaxParallelSequences, gpuLayers, flashAttention, options.UnifiedKvCache);
        NativeRuntime.ClearRecentErrors();
        var started = Stopwatch.GetTimestamp();
        LLamaWeights weights;
        try
        {
            weights = await LLamaWeights.LoadFromFileAsync(parameters, cancellationToken).ConfigureAwait(false);
        }
        catch (LoadWeightsFailedException ex)
        {
            throw LoadFailed(options.ModelPath, "llama.cpp could not load the model", ex);
        }

        (MtmdWeights Weights, Llama4ProjectorInfo Info, ulong Identity, ImageMarkerTokens Markers)? projector = null;
        try
        {
            projector = await LoadProjectorAsync(options, model, weights, gpuOffload && gpuLayers > 0, logger, cancellationToken).ConfigureAwait(false);
            var engine = new Llama4Engine(options, model, weights, parameters, activeBackend, logger, EngineMetrics.For(meterFactory), projector);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogLoaded(logger, engine.ModelId, elapsed, activeBackend);
            return engine;
        }
        catch (Exception ex) when (ex is RuntimeError or LLamaDecodeError)
        {
            projector?.Weights.Dispose();
            weights.Dispose();
            throw LoadFailed(options.ModelPath, "llama.cpp could not create a context for the model", ex);
        }
        catch
        {
            projector?.Weights.Dispose();
            weights.Dispose();
            throw;
        }
    }

    /// <summary>Tokenizes text as plain text (special-token strings stay text), without BOS.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The token ids.</returns>
    public IReadOnlyList<int> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        ThrowIfDisposed();
        return Array.ConvertAll(TokenizeText(text), t => (int)t);
    }

    /// <summary>Counts the tokens of text tokenized as plain text, without BOS.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The token count.</returns>
    public int CountTokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        ThrowIfDisposed();
        return TokenizeText(text).Length;
    }

    /// <summary>Counts the tokens of a formatted prompt exactly as the engine will decode it.</summary>
    /// <param name="prompt">The prompt.</param>
    /// <returns>The token count.</returns>
    /// <exception cref="Llama4ImageException">The prompt carries an image the engine cannot use.</exception>
    public int CountTokens(Llama4Prompt prompt)
    {
        using var tokenized = TokenizeForDecoding(prompt, countOnly: true);
        return tokenized.Tokens.Length;
    }

    /// <summary>Turns token ids back into text.</summary>
    /// <param name="tokens">The token ids.</param>
    /// <returns>The text (special tokens are rendered as their text).</returns>
    public string Detokenize(IEnumerable<int> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ThrowIfDisposed();
        var decoder = new StreamingTokenDecoder(Encoding.UTF8, _weights) { DecodeSpecialTokens = true };
        foreach (var token in tokens)
        {
            decoder.Add(token);
        }

        return decoder.Read();
    }

    /// <summary>Gets a snapshot of the engine's counters.</summary>
    /// <returns>The statistics.</returns>
    public Llama4EngineStatistics GetStatistics() => new()
    {
        LiveSequences = Volatile.Read(ref _liveSequences),
        IdleSequences = Volatile.Read(ref _idleSequences),
        QueuedRequests = Volatile.Read(ref _queuedRequests),
        KvCellsInUse = Volatile.Read(ref _kvCellsInUse),
        CompletedRequests = Interlocked.Read(ref _completedRequests),
        DecodeCalls = Interlocked.Read(ref _decodeCalls),
        MultiSequenceDecodeCalls = Interlocked.Read(ref _multiSequenceDecodeCalls),
        MaxSequencesInOneDecode = Volatile.Read(ref _maxSequencesInOneDecode),
        TokensDecoded = Interlocked.Read(ref _tokensDecoded),
        TokensGenerated = Interlocked.Read(ref _tokensGenerated),
        PromptTokensProcessed = Interlocked.Read(ref _promptTokensProcessed),
        PromptTokensReused = Interlocked.Read(ref _promptTokensReused),
        RequestsReusingCache = Interlocked.Read(ref _requestsReusingCache),
        ChunkLimitedReuses = Interlocked.Read(ref _chunkLimitedReuses),
        EvictedSequences = Interlocked.Read(ref _evictedSequences),
        RejectedReuses = Interlocked.Read(ref _rejectedReuses),
    };

    /// <summary>
    /// Generates a reply, streamed as it is produced. The request is validated and tokenized before it is queued; the
    /// enumeration ends with an update that carries the finish reason and usage. Cancelling (or disposing the
    /// enumerator early) stops generation and frees the sequence before the enumeration completes.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the generation.</param>
    /// <returns>The updates.</returns>
    /// <exception cref="Llama4ContextOverflowException">The prompt (image tokens included) plus reserved output does not fit the context.</exception>
    /// <exception cref="ArgumentException">A sampling value (of the request, <see cref="Llama4EngineOptions.DefaultSampling"/> or the model's defaults) is out of range; the message names it.</exception>
    /// <exception cref="Llama4ImageException">The prompt carries an image the engine cannot use (no projector, unsupported format, damaged, too large).</exception>
    /// <exception cref="ObjectDisposedException">The engine was disposed before or during the request.</exception>
    public IAsyncEnumerable<Llama4GenerationUpdate> GenerateAsync(Llama4GenerationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ValidateRequest(request);
        ThrowIfDisposed();

        // The output reservation is checked before anything is tokenized, and the prompt is tokenized only as far as
        // the context can hold: an oversized prompt is refused early instead of after tokenizing all of it.
        var reserved = request.MaxOutputTokens ?? 1;
        if (reserved >= SequenceContextSize)
        {
            throw new Llama4ContextOverflowException(
                $"MaxOutputTokens is {reserved}, but a sequence's context holds {SequenceContextSize} tokens, the prompt included. " +
                "Lower MaxOutputTokens (or leave it unset: generation then runs until the model ends its turn or the context is full), or load the model with a larger ContextSize.",
                0,
                reserved,
                SequenceContextSize);
        }

        // Exact counts (for the overflow exception) up to the room left or 65,536 tokens, whichever is more; a longer
        // prompt is refused without being tokenized to its end.
        var countUpTo = Math.Max(SequenceContextSize - reserved, 65_536);
        var tokenized = TokenizeForDecoding(request.Prompt, countOnly: false, countUpTo, reserved, cancellationToken);
        try
        {
            return CreateSession(request, tokenized, cancellationToken);
        }
        catch
        {
            tokenized.Dispose();
            throw;
        }
    }

    private static void ValidateRequest(Llama4GenerationRequest request)
    {
        if (request.MaxOutputTokens is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.MaxOutputTokens, "MaxOutputTokens must be at least 1 when set.");
        }

        request.Sampling.Validate(nameof(request));
        for (var i = 0; i < request.StopSequences.Count; i++)
        {
            if (string.IsNullOrEmpty(request.StopSequences[i]))
            {
                throw new ArgumentException($"Stop sequence {i} is {(request.StopSequences[i] is null ? "null" : "empty")}; every stop sequence must be a non-empty string. Remove it.", nameof(request));
            }
        }
    }

    private IAsyncEnumerable<Llama4GenerationUpdate> CreateSession(Llama4GenerationRequest request, TokenizedPrompt tokenized, CancellationToken cancellationToken)
    {
        var promptTokens = tokenized.Tokens;
        var preambleLength = tokenized.PreambleLength;
        var reserved = request.MaxOutputTokens ?? 1;
        if ((long)promptTokens.Length + reserved > SequenceContextSize)
        {
            throw new Llama4ContextOverflowException(promptTokens.Length, reserved, SequenceContextSize);
        }

        var sampling = request.Sampling.WithFallback(_samplingDefaults);

        // A penalty window longer than the sequence can ever be covers the whole sequence.
        sampling = sampling with { PenaltyLastTokens = Math.Min(sampling.PenaltyLastTokens ?? 0, SequenceContextSize) };
        SamplingSettings.Validate(sampling);
        var grammar = request.Grammar;
        if (grammar is not null)
        {
            // llama.cpp crashes the process on a grammar it cannot parse: check it here, where it can still throw.
            GbnfValidator.Validate(grammar.Gbnf, grammar.Root);
        }

        var tools = request.Tools is { Tools.Count: > 0 } offered ? offered : null;
        var toolGrammars = tools is null ? null : ToolGrammarsFor(tools);
        if (toolGrammars?.Required is { } required)
        {
            if (grammar is not null)
            {
                throw new ArgumentException("A request cannot both require a tool call and carry its own Grammar: the required call is the grammar.", nameof(request));
            }

            // A required call comes first; the JSON reply (if any) is for the turn after the tool results.
            grammar = required;
        }
        else if (request.JsonResponse is { } json)
        {
            if (grammar is not null)
            {
                throw new ArgumentException("A request cannot carry both a JsonResponse and its own Grammar.", nameof(request));
            }

            grammar = ToolCallGrammarSet.ForJsonResponse(json, toolGrammars);
        }

        var session = new GenerationSession(promptTokens, sampling, request.MaxOutputTokens, request.StopSequences, grammar)
        {
            ConversationId = string.IsNullOrEmpty(request.ConversationId) ? null : request.ConversationId,
            PreambleLength = preambleLength,
            Images = tokenized.Images,
            CaptureFirstLogits = request.CaptureFirstLogits,
            Tools = tools,
            ToolCalls = tools is null ? null : new ToolCallStreamParser([.. tools.Tools.Select(t => t.Name)]),
            ToolGrammars = grammar is null ? toolGrammars : null,
        };
        return ReadSessionAsync(session, cancellationToken);
    }

    /// <summary>
    /// Saves the KV state of the cached conversation with the given id (see <see cref="Llama4GenerationRequest.ConversationId"/>)
    /// to a stream, so that <see cref="RestoreSessionAsync"/> can bring it back after a restart and the conversation
    /// continues without re-processing its history. Waits while a request of that conversation is running.
    /// </summary>
    /// <param name="conversationId">The conversation id.</param>
    /// <param name="destination">A writable stream; it is not closed.</param>
    /// <param name="cancellationToken">Cancels the save.</param>
    /// <returns>What was saved.</returns>
    /// <exception cref="Llama4SessionException">No cached sequence answers to the id (<see cref="Llama4SessionProblem.NotCached"/>).</exception>
    public Task<Llama4SessionInfo> SaveSessionAsync(string conversationId, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        ValidateDestination(destination);
        return SaveSessionCoreAsync(() => _cache.Find(conversationId), $"no cached sequence answers to conversation id '{conversationId}'", destination, cancellationToken);
    }

    /// <summary>
    /// Saves the KV state of the cached sequence that shares the longest token prefix with <paramref name="prompt"/>
    /// (format the conversation so far, usually without a generation prompt) to a stream. Waits while a request runs
    /// on that sequence.
    /// </summary>
    /// <param name="prompt">The conversation so far, formatted as for a request.</param>
    /// <param name="destination">A writable stream; it is not closed.</param>
    /// <param name="cancellationToken">Cancels the save.</param>
    /// <returns>What was saved.</returns>
    /// <exception cref="Llama4SessionException">No cached sequence shares a prefix with the prompt (<see cref="Llama4SessionProblem.NotCached"/>).</exception>
    public Task<Llama4SessionInfo> SaveSessionAsync(Llama4Prompt prompt, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ValidateDestination(destination);
        int[] tokens;
        using (var tokenized = TokenizeForDecoding(prompt, countOnly: true))
        {
            tokens = tokenized.Tokens;
        }

        return SaveSessionCoreAsync(() => _cache.FindLongestMatch(tokens, out _), "no cached sequence shares a prefix with the prompt", destination, cancellationToken);
    }

    /// <summary>
    /// Restores a session saved by <see cref="SaveSessionAsync(string, Stream, CancellationToken)"/> as an idle cached
    /// sequence: the next request whose prompt starts with its tokens (or that carries its conversation id) continues
    /// from it, token-identically to the uninterrupted conversation. The file must come from the same model file, the
    /// same KV cache configuration (context size, cache types, SWA and unified settings, flash attention) and the same
    /// library version; anything else is refused before llama.cpp reads it. Waits for a free sequence slot.
    /// </summary>
    /// <param name="source">A readable stream positioned at the start of a session.</param>
    /// <param name="cancellationToken">Cancels the restore.</param>
    /// <returns>What was restored.</returns>
    /// <exception cref="Llama4SessionException">The data is not a session, is damaged, or belongs to another model or configuration; or llama.cpp refused it.</exception>
    public async Task<Llama4SessionInfo> RestoreSessionAsync(Stream source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!source.CanRead)
        {
            throw new ArgumentException("The source stream must be readable.", nameof(source));
        }

        ThrowIfDisposed();
        using var file = await SessionFile.ReadAsync(source, cancellationToken).ConfigureAwait(false);
        var (model, configuration) = SessionHeader.Differences(file.Header, _sessionIdentity.Value);
        if (model.Count > 0)
        {
            throw new Llama4SessionException(
                Llama4SessionProblem.ModelMismatch,
                $"The session was saved from another model ('{file.Header.ModelName}'): {string.Join("; ", model)}. Restore it on an engine that loads the same model file.");
        }

        if (configuration.Count > 0)
        {
            throw new Llama4SessionException(
                Llama4SessionProblem.ConfigurationMismatch,
                $"The session was saved with another KV cache configuration: {string.Join("; ", configuration)}. Load the engine with the same settings to restore it.");
        }

        if (file.Tokens.Length > SequenceContextSize)
        {
            throw new Llama4SessionException(
                Llama4SessionProblem.DoesNotFit,
                $"The session holds {file.Tokens.Length} tokens, more than one sequence of this engine can hold ({SequenceContextSize}).");
        }

        var command = new LoopCommand<Llama4SessionInfo>(() => TryRestore(file), cancellationToken);
        await QueueCommandAsync(command).ConfigureAwait(false);
        return await command.Result.ConfigureAwait(false);
    }

    /// <summary>Stops the inference loop, fails requests in flight with <see cref="ObjectDisposedException"/> and frees native memory.</summary>
    /// <returns>A task that completes when everything is released.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _incoming.Writer.TryComplete();
        await _shutdown.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogLoopFailed(_logger, ex);
        }

        _metrics.Unregister(this);
        _cache.Executor.Dispose();
        _projector?.Dispose();
        _weights.Dispose();
        _shutdown.Dispose();
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    internal bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    internal LLamaToken[] TokenizePrompt(Llama4Prompt prompt) => TokenizePrompt(prompt, out _);

    /// <summary>Tokenizes a prompt and finds how many of its tokens form the preamble (see <see cref="Llama4Prompt.PreambleEnd"/>).</summary>
    internal LLamaToken[] TokenizePrompt(Llama4Prompt prompt, out int preambleLength)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ThrowIfDisposed();
        var tokens = new List<LLamaToken>();
        var end = prompt.PreambleEnd;
        preambleLength = 0;
        for (var index = 0; index < prompt.Segments.Count; index++)
        {
            var segment = prompt.Segments[index];
            if (end is { } boundary && boundary.Segment == index)
            {
                preambleLength = tokens.Count + PreambleTokensIn(segment, boundary.Characters);
            }

            if (segment.Image is not null)
            {
                throw new ArgumentException("The prompt carries an image, which has no vocabulary tokens; tokenize it with TokenizeForDecoding.", nameof(prompt));
            }

            if (segment.IsSpecialToken)
            {
                tokens.Add(SpecialTokenId(segment.Text));
            }
            else if (segment.Text.Length > 0)
            {
                tokens.AddRange(TokenizeText(segment.Text));
            }
        }

        if (end is { } last && last.Segment >= prompt.Segments.Count)
        {
            preambleLength = tokens.Count;
        }

        return [.. tokens];
    }

    /// <summary>
    /// Counts the tokens of a segment's first <paramref name="characters"/> characters when they tokenize as a prefix of
    /// the whole segment (they do when the preamble ends at a pre-tokenizer boundary, as after "\n\n"); otherwise 0.
    /// </summary>
    private int PreambleTokensIn(Llama4PromptSegment segment, int characters)
    {
        if (characters <= 0 || segment.IsSpecialToken)
        {
            return 0;
        }

        if (characters >= segment.Text.Length)
        {
            return TokenizeText(segment.Text).Length;
        }

        var head = TokenizeText(segment.Text[..characters]);
        var whole = TokenizeText(segment.Text);
        return whole.AsSpan().StartsWith(head) ? head.Length : 0;
    }

    private LLamaToken[] TokenizeText(string text) => text.Length == 0 ? [] : _tokenizationCache.Get(text);

    /// <summary>
    /// A model file's <c>general.sampling.*</c> keys read as llama.cpp reads them (a negative <c>top_k</c> is off, a
    /// negative <c>penalty_last_n</c> the whole context), with values out of range dropped so that Meta's defaults apply
    /// instead: requests never fail on the file's choice.
    /// </summary>
    private static Llama4SamplingOptions ModelSamplingDefaults(Llama4SamplingOptions file) => (file with
    {
        TopK = file.TopK is < 0 ? 0 : file.TopK,
        PenaltyLastTokens = file.PenaltyLastTokens is < 0 ? int.MaxValue : file.PenaltyLastTokens,
    }).WithoutInvalidValues();

    /// <summary>A lower bound of a prompt's tokens that costs no tokenization: each token covers at most the vocabulary's longest token.</summary>
    private long MinimumTokens(Llama4Prompt prompt)
    {
        long minimum = 0;
        foreach (var segment in prompt.Segments)
        {
            if (segment.IsSpecialToken)
            {
                minimum++;
            }
            else if (segment.Image is null && segment.Text.Length > 0)
            {
                minimum += ((long)Encoding.UTF8.GetByteCount(segment.Text) + _longestTokenBytes - 1) / _longestTokenBytes;
            }
        }

        return minimum;
    }

    private Llama4ContextOverflowException PromptTooLong(int maxTokens, int reservedOutput) => new(
        $"The prompt has more than {maxTokens} tokens (tokenization stopped there), and the request reserves {reservedOutput} output token(s): " +
        $"it does not fit a sequence's context of {SequenceContextSize} tokens. Shorten the history (for example with a chat reducer), " +
        "split long documents, lower MaxOutputTokens, or load the model with a larger ContextSize.",
        maxTokens + 1,
        reservedOutput,
        SequenceContextSize);

    /// <summary>The most bytes one token of the vocabulary stands for (at least 1).</summary>
    private static int LongestTokenBytes(LLamaWeights weights)
    {
        Span<byte> buffer = stackalloc byte[256];
        var longest = 1;
        var count = weights.Vocab.Count;
        for (var token = 0; token < count; token++)
        {
            longest = Math.Max(longest, (int)weights.NativeHandle.TokenToSpan(token, buffer));
        }

        return longest;
    }

    private async IAsyncEnumerable<Llama4GenerationUpdate> ReadSessionAsync(
        GenerationSession session,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!_incoming.Writer.TryWrite(session))
        {
            throw new ObjectDisposedException(nameof(Llama4Engine), "The Llama 4 engine was disposed.");
        }

        using var activity = EngineActivities.Start(ModelId, session);
        using var registration = cancellationToken.Register(static s => ((GenerationSession)s!).RequestCancel(), session);
        var updates = session.Output.Reader.ReadAllAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                Llama4GenerationUpdate update;
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }

                    update = updates.Current;
                }
                catch (Exception ex) when (activity is not null)
                {
                    EngineActivities.Fail(activity, ex);
                    throw;
                }

                if (activity is not null && update.IsFinal)
                {
                    EngineActivities.Complete(activity, ModelId, update);
                }

                yield return update;
            }
        }
        finally
        {
            await updates.DisposeAsync().ConfigureAwait(false);

            // Early exit (cancellation, an exception in the caller, or a break): stop the generation and wait until
            // the loop has freed the sequence, so that a caller who moves on sees the capacity back.
            session.RequestCancel();
            await session.Released.ConfigureAwait(false);
        }
    }

    private async Task RunLoopAsync()
    {
        var pending = new LinkedList<GenerationSession>();
        var active = _active;
        var decoding = new List<GenerationSession>();
        var commands = new List<LoopCommand>();
        try
        {
            while (!_shutdown.IsCancellationRequested)
            {
                while (_incoming.Reader.TryRead(out var incoming))
                {
                    if (incoming is GenerationSession session)
                    {
                        pending.AddLast(session);
                    }
                    else
                    {
                        commands.Add((LoopCommand)incoming);
                    }
                }

                RunCommands(commands);
                DropCancelledPending(pending);
                Admit(pending, active);
                ReleaseCancelled(active);
                PublishCounters(pending, active);

                if (active.Count == 0)
                {
                    if (pending.Count == 0 && commands.Count == 0)
                    {
                        try
                        {
                            if (!await _incoming.Reader.WaitToReadAsync(_shutdown.Token).ConfigureAwait(false))
                            {
                                break;
                            }
                        }
                        catch (OperationCanceledException)
                        {
                            break;
                        }
                    }
                    else if (pending.Count > 0 || commands.Count > 0)
                    {
                        // Waiting for room that only idle sequences could give back never happens with nothing
                        // running; yield so that a command waiting for a busy sequence is retried without spinning.
                        await Task.Delay(1, _shutdown.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    }

                    continue;
                }

                var executor = _cache.Executor;
                if (executor.BatchedTokenCount > 0)
                {
                    decoding.Clear();
                    decoding.AddRange(active.Where(s => s.Sequence!.Conversation.RequiresInference));
                    var queuedTokens = executor.BatchedTokenCount;
                    DecodeResult result;
                    try
                    {
                        result = await executor.Infer().ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is not OutOfMemoryException)
                    {
                        RecoverFromDecodeFailure(ex.Message, active, ex);
                        continue;
                    }

                    if (result == DecodeResult.NoKvSlot && _cache.EvictLeastRecentlyUsed())
                    {
                        // The batch stays queued; idle cached sequences give their cells back and the decode is retried.
                        LogKvFullEvicted(_logger);
                        continue;
                    }

                    if (result != DecodeResult.Ok)
                    {
                        RecoverFromDecodeFailure(result.ToString(), active, null);
                        continue;
                    }

                    _cache.AfterDecode();
                    var carried = decoding.Count(s => !s.Sequence!.Conversation.RequiresInference);
                    RecordDecode(queuedTokens - executor.BatchedTokenCount, carried);
                }

                DrawTokens(active);
                foreach (var session in active)
                {
                    if (session.PromptQueued && session.Sequence!.Conversation.RequiresSampling && !session.CancelRequested)
                    {
                        try
                        {
                            SampleNext(session, active);
                        }
                        catch (Exception ex) when (ex is not OutOfMemoryException)
                        {
                            // Sampling failed for this request alone (nothing of it is queued): fail it, keep the others.
                            session.Failure = ex;
                        }
                    }
                }

                // Prompts advance only once every request has sampled from the batch's logits: an image tile is
                // evaluated by its own llama_decode, which replaces the context's logits.
                foreach (var session in active)
                {
                    if (!session.PromptQueued && !session.CancelRequested && session.Failure is null)
                    {
                        try
                        {
                            AdvancePrompt(session);
                        }
                        catch (Exception ex) when (ex is not OutOfMemoryException)
                        {
                            // An image failed for this request alone (nothing of it is queued): fail it, keep the others.
                            session.Failure = ex;
                        }
                    }
                }

                for (var i = active.Count - 1; i >= 0; i--)
                {
                    if (active[i].Finished || active[i].Failure is not null)
                    {
                        Release(active[i], active[i].Failure);
                        active.RemoveAt(i);
                    }
                }
            }
        }
        finally
        {
            var disposed = new ObjectDisposedException(nameof(Llama4Engine), "The Llama 4 engine was disposed while the request was in flight.");
            foreach (var session in active)
            {
                Release(session, disposed);
            }

            foreach (var session in pending)
            {
                Release(session, disposed);
            }

            while (_incoming.Reader.TryRead(out var late))
            {
                if (late is GenerationSession session)
                {
                    Release(session, disposed);
                }
                else
                {
                    commands.Add((LoopCommand)late);
                }
            }

            foreach (var command in commands)
            {
                command.Fail(disposed);
            }

            PublishCounters(pending: null, active: null);
        }
    }

    private static void RunCommands(List<LoopCommand> commands)
    {
        for (var i = commands.Count - 1; i >= 0; i--)
        {
            if (commands[i].TryRun())
            {
                commands.RemoveAt(i);
            }
        }
    }

    private void DropCancelledPending(LinkedList<GenerationSession> pending)
    {
        for (var node = pending.First; node is not null;)
        {
            var next = node.Next;
            if (node.Value.CancelRequested)
            {
                pending.Remove(node);
                Release(node.Value, new OperationCanceledException("The request was cancelled before it started."));
            }

            node = next;
        }
    }

    private void Admit(LinkedList<GenerationSession> pending, List<GenerationSession> active)
    {
        while (pending.First is { } node && active.Count < MaxParallelSequences)
        {
            var session = node.Value;

            // First come, first served: when the head cannot be placed yet, later requests wait behind it rather than
            // starving it.
            var placement = _cache.Plan(session.PromptTokens, session.ConversationId, session.MaxOutputTokens ?? 1, ReservedByRunning(active));
            if (placement is not { } planned)
            {
                break;
            }

            pending.RemoveFirst();
            try
            {
                var sequence = _cache.Apply(planned, session.ConversationId, session.PreambleLength, out var reused);
                sequence.Owner = session;
                session.Sequence = sequence;
                session.ReusedTokens = reused;
                session.Sampler = CreateSampler(session.Sampling, session.Grammar);
                session.Decoder = new StreamingTokenDecoder(Encoding.UTF8, _weights);
                session.AdmittedAt = Stopwatch.GetTimestamp();
                session.PromptCursor = reused;
                AdvancePrompt(session);
                active.Add(session);
                RecordPlacement(session, planned, reused);
            }
            catch (Exception ex)
            {
                Release(session, ex);
            }
        }
    }

    private void RecordPlacement(GenerationSession session, KvPlacement placement, int reused)
    {
        _metrics.RecordPlacement(ModelId, reused, session.PromptTokens.Length - reused);
        Interlocked.Add(ref _promptTokensReused, reused);
        Interlocked.Add(ref _promptTokensProcessed, session.PromptTokens.Length - reused);
        if (reused > 0)
        {
            Interlocked.Increment(ref _requestsReusingCache);
        }

        if (placement.ReusedTokens < placement.MatchedTokens)
        {
            Interlocked.Increment(ref _chunkLimitedReuses);
            LogReuseLimitedByChunk(_logger, placement.MatchedTokens, placement.ReusedTokens, ChunkSize);
        }

        if (reused < placement.ReusedTokens)
        {
            LogReuseRejected(_logger, placement.ReusedTokens);
        }

        LogPlacement(_logger, placement.Kind, reused, session.PromptTokens.Length, session.PromptTokens.Length - reused);
    }

    private static long ReservedByRunning(List<GenerationSession> active)
    {
        long total = 0;
        foreach (var session in active)
        {
            total += session.RemainingReservation;
        }

        return total;
    }

    private void ReleaseCancelled(List<GenerationSession> active)
    {
        for (var i = active.Count - 1; i >= 0; i--)
        {
            var session = active[i];

            // A conversation with tokens still queued must not be given back: its batch would later decode into a
            // recycled sequence id. It is released once that batch has run.
            if (session.CancelRequested && !session.Sequence!.Conversation.RequiresInference)
            {
                Release(session, new OperationCanceledException("The request was cancelled."));
                active.RemoveAt(i);
            }
        }
    }

    /// <summary>
    /// Draws the next token of every sequence that needs one, on up to <see cref="SamplingThreads"/> threads; each
    /// session's <see cref="SampleNext"/> then takes its token in order on the loop thread.
    /// </summary>
    private void DrawTokens(List<GenerationSession> active)
    {
        _drawing.Clear();
        var context = _cache.Executor.Context.NativeHandle;
        foreach (var session in active)
        {
            if (session.PromptQueued && session.Sampler is { } sampler && session.Failure is null && !session.CancelRequested && session.Sequence!.Conversation.RequiresSampling)
            {
                try
                {
                    // Every row is read here, on the loop thread: llama.cpp may reorder its outputs on the first read after a decode.
                    _sampler.Add(sampler, context.GetLogitsIth(session.Sequence.Conversation.GetSampleIndex()));
                    _drawing.Add(session);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    session.Failure = ex;
                }
            }
        }

        _sampler.Run();
        foreach (var session in _drawing)
        {
            if (session.Sampler!.Failure is { } failure)
            {
                session.Failure = failure;
            }
        }

        _drawing.Clear();
    }

    private void SampleNext(GenerationSession session, List<GenerationSession> active)
    {
        if (session.Failure is not null)
        {
            return;
        }

        var sequence = session.Sequence!;
        if (session.CaptureFirstLogits && session.OutputTokens == 0)
        {
            session.FirstLogits = sequence.Conversation.Sample().ToArray();
        }

        var drawn = session.Sampler!.TakeDrawn();
        if (drawn < 0)
        {
            // Not drawn with the others (it became ready during this step): draw it alone.
            _sampler.Add(session.Sampler, _cache.Executor.Context.NativeHandle.GetLogitsIth(sequence.Conversation.GetSampleIndex()));
            _sampler.Run();
            if (session.Sampler.Failure is { } failure)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            }

            drawn = session.Sampler.TakeDrawn();
        }

        var token = (LLamaToken)drawn;
        session.OutputTokens++;
        session.TokensSinceUpdate++;
        Interlocked.Increment(ref _tokensGenerated);
        if (session.FirstTokenAt == 0)
        {
            session.FirstTokenAt = Stopwatch.GetTimestamp();
        }

        if (_endOfGenerationTokens.Contains(token) || token.IsEndOfGeneration(_weights.Vocab))
        {
            FinishWith(session, string.Empty, Llama4FinishReason.Stop);
            return;
        }

        var piece = DecodePiece(session, token);
        if (session.ToolGrammars is not null)
        {
            ConstrainStartedCall(session, token, piece);
        }

        var text = session.Stops.Append(piece);
        if (session.Stops.Stopped)
        {
            FinishWith(session, text, Llama4FinishReason.Stop);
            return;
        }

        if (session.MaxOutputTokens is { } max && session.OutputTokens >= max)
        {
            FinishWith(session, text, Llama4FinishReason.Length);
            return;
        }

        // A request without an output limit grows into free context (idle cached sequences give theirs back); when none
        // is left it ends with Length.
        if (sequence.Tokens.Count + 1 > SequenceContextSize || !HasRoomForOneMoreCell(active))
        {
            LogContextFull(_logger, sequence.Tokens.Count, ContextSize);
            FinishWith(session, text, Llama4FinishReason.Length);
            return;
        }

        Emit(session, text);
        _cache.Prompt(sequence, token);
    }

    private bool HasRoomForOneMoreCell(List<GenerationSession> active)
    {
        if (!Options.UnifiedKvCache)
        {
            return true;
        }

        while (_cache.DistinctCells + ReservedByRunning(active) + 1 > ContextSize)
        {
            if (!_cache.EvictLeastRecentlyUsed())
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Auto tool mode: once the model starts a call (<c>&lt;|python_start|&gt;</c>, or a line that opens a call of an
    /// offered tool), the rest of the reply is constrained to schema-valid calls. The tokens so far are already in the
    /// cache; the new grammar starts exactly where the text stands.
    /// </summary>
    private void ConstrainStartedCall(GenerationSession session, LLamaToken token, string piece)
    {
        var grammars = session.ToolGrammars!;
        Llama4Grammar? grammar = null;
        if (_specialTokens.TryGetValue(Llama4SpecialTokens.PythonStart, out var pythonStart) && token == pythonStart)
        {
            grammar = grammars.AfterMarker;
        }
        else
        {
            foreach (var c in piece)
            {
                if (c == '\n')
                {
                    session.Line.Clear();
                    session.LineCannotStartCall = false;
                }
                else
                {
                    session.Line.Append(c);
                }
            }

            if (!session.LineCannotStartCall && session.Line.Length > 0)
            {
                var line = session.Line.ToString().TrimStart(' ', '\t');
                grammar = grammars.ForStartedCall(line);
                session.LineCannotStartCall = grammar is null && line.Length > 0 && (line[0] != grammars.CallOpening || line.Length > grammars.LongestHead);
            }
        }

        if (grammar is not null)
        {
            // The random source and the penalty window carry on; only the grammar is new.
            session.Sampler!.ReplaceGrammar(new GrammarConstraint(_weights.NativeHandle, grammar));
            session.ToolGrammars = null;
            LogToolCallConstrained(_logger);
        }
    }

    private ToolCallGrammarSet ToolGrammarsFor(Llama4ToolOptions tools)
    {
        var set = ToolCallGrammarSet.Create(tools);
        foreach (var name in set.UnconstrainedTools)
        {
            LogToolArgumentsUnconstrained(_logger, name);
        }

        return set;
    }

    private string DecodePiece(GenerationSession session, LLamaToken token)
    {
        // With tools offered, the call markers are real signals: hand them to the parser as their text.
        if (session.ToolCalls is not null)
        {
            foreach (var marker in (ReadOnlySpan<string>)[Llama4SpecialTokens.PythonStart, Llama4SpecialTokens.PythonEnd])
            {
                if (_specialTokens.TryGetValue(marker, out var id) && id == token)
                {
                    return session.Decoder!.Read() + marker;
                }
            }
        }

        session.Decoder!.Add(token);
        return session.Decoder.Read();
    }

    private void Emit(GenerationSession session, string text)
    {
        List<Llama4ToolCall> calls = [];
        if (session.ToolCalls is { } parser)
        {
            var step = parser.Append(text);
            text = step.Text;
            calls = ConvertCalls(session, step);
        }

        if (text.Length > 0 || calls.Count > 0)
        {
            session.Output.Writer.TryWrite(new Llama4GenerationUpdate(text, session.TokensSinceUpdate) { ToolCalls = calls });
            session.TokensSinceUpdate = 0;
        }
    }

    private void FinishWith(GenerationSession session, string text, Llama4FinishReason reason)
    {
        // Text the stop-sequence matcher still holds was not a stop sequence after all; an incomplete UTF-8 character
        // at the very end cannot become text.
        text += session.Stops.Flush() + session.Decoder!.Read();
        List<Llama4ToolCall> calls = [];
        if (session.ToolCalls is { } parser)
        {
            var appended = parser.Append(text);
            var completed = parser.Complete();
            text = appended.Text + completed.Text;
            calls = [.. ConvertCalls(session, appended), .. ConvertCalls(session, completed)];
            if (reason == Llama4FinishReason.Stop && (calls.Count > 0 || session.CallsEmitted > 0))
            {
                reason = Llama4FinishReason.ToolCalls;
            }

            // A required call is a call from its first token (the grammar allows nothing else): cut off by the output
            // limit, what was written is an unfinished call, never text for the caller.
            if (reason == Llama4FinishReason.Length && session.Tools?.Mode == Llama4ToolMode.Required && calls.Count == 0 && text.Length > 0)
            {
                LogRequiredCallCutOff(_logger, session.OutputTokens);
                text = string.Empty;
            }
        }

        Finish(session, text, reason, calls);
    }

    private List<Llama4ToolCall> ConvertCalls(GenerationSession session, ToolCallParseResult step)
    {
        foreach (var warning in step.Warnings)
        {
            LogToolCallWarning(_logger, warning);
        }

        if (step.Calls.Count == 0)
        {
            return [];
        }

        var calls = new List<Llama4ToolCall>(step.Calls.Count);
        foreach (var call in step.Calls)
        {
            var schema = session.Tools!.Tools.FirstOrDefault(t => t.Name == call.Name)?.ParametersSchema;
            var converted = ToolArgumentConverter.Convert(call.Arguments, schema, out var repairs);
            foreach (var repair in repairs)
            {
                LogToolArgumentRepaired(_logger, call.Name, repair);
            }

            calls.Add(new Llama4ToolCall(call.Name, converted.ToDictionary(a => a.Key, a => a.Value is JsonElement e ? e : JsonSerializer.SerializeToElement(a.Value), StringComparer.Ordinal)));
        }

        session.CallsEmitted += calls.Count;
        return calls;
    }

    private static void Finish(GenerationSession session, string text, Llama4FinishReason reason, IReadOnlyList<Llama4ToolCall> calls)
    {
        var now = Stopwatch.GetTimestamp();
        var usage = new Llama4GenerationUsage(
            session.PromptTokens.Length,
            session.ReusedTokens,
            session.OutputTokens,
            Stopwatch.GetElapsedTime(session.SubmittedAt, session.AdmittedAt),
            Stopwatch.GetElapsedTime(session.AdmittedAt, session.FirstTokenAt == 0 ? now : session.FirstTokenAt),
            session.FirstTokenAt == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(session.FirstTokenAt, now))
        {
            ImageTokens = session.ImageTokens,
        };
        session.Output.Writer.TryWrite(new Llama4GenerationUpdate(text, session.TokensSinceUpdate, reason, usage) { ToolCalls = calls, FirstStepLogits = session.FirstLogits });
        session.TokensSinceUpdate = 0;
        session.Finished = true;
    }

    private void Release(GenerationSession session, Exception? error)
    {
        try
        {
            // The sequence stays in the cache (idle) for later requests that share its prefix, or is evicted.
            if (session.Sequence is { } sequence)
            {
                _cache.Release(sequence);
            }

            session.Sampler?.Dispose();
            foreach (var image in session.Images)
            {
                image.Dispose();
            }
        }
        catch (Exception ex)
        {
            LogReleaseFailed(_logger, ex);
        }
        finally
        {
            session.Sequence = null;
            session.Sampler = null;
            _metrics.RecordRequest(ModelId, session.SubmittedAt, session.AdmittedAt, session.FirstTokenAt, session.PromptTokens.Length, session.OutputTokens, error);
            session.Output.Writer.TryComplete(error);
            Interlocked.Increment(ref _completedRequests);
            session.MarkReleased();
        }
    }

    private void RecoverFromDecodeFailure(string result, List<GenerationSession> active, Exception? cause)
    {
        // A failed batch stays at the head of LLamaSharp's queue and would stall the executor for good: fail the
        // requests in flight, then start over with a fresh context on the same weights.
        LogDecodeFailed(_logger, result, active.Count);
        var message = $"llama.cpp failed to decode a batch ({result}); the {active.Count} request(s) in flight failed and the engine rebuilt its context.";
        var error = cause is null ? new Llama4InferenceException(message) : new Llama4InferenceException(message, cause);
        foreach (var session in active)
        {
            session.Sampler?.Dispose();
            session.Sampler = null;
            session.Sequence = null; // Owned by the executor being disposed.
            Release(session, error);
        }

        active.Clear();
        _cache.Executor.Dispose();
        _cache.Clear();
        _cache.Executor = new BatchedExecutor(_weights, _contextParams);
    }

    private void RecordDecode(int tokens, int sequences)
    {
        Interlocked.Increment(ref _decodeCalls);
        Interlocked.Add(ref _tokensDecoded, tokens);
        if (sequences > 1)
        {
            Interlocked.Increment(ref _multiSequenceDecodeCalls);
        }

        if (sequences > _maxSequencesInOneDecode)
        {
            Volatile.Write(ref _maxSequencesInOneDecode, sequences);
        }
    }

    private void PublishCounters(LinkedList<GenerationSession>? pending, List<GenerationSession>? active)
    {
        Volatile.Write(ref _liveSequences, active?.Count ?? 0);
        Volatile.Write(ref _queuedRequests, pending?.Count ?? 0);
        Volatile.Write(ref _idleSequences, active is null ? 0 : _cache.IdleCount);
        Volatile.Write(ref _kvCellsInUse, active is null ? 0 : (int)Math.Min(int.MaxValue, _cache.DistinctCells + ReservedByRunning(active)));
        Interlocked.Exchange(ref _evictedSequences, _cache.Evictions);
        Interlocked.Exchange(ref _rejectedReuses, _cache.RejectedReuses);
    }

    /// <summary>The sampler of a new sequence: the resolved chain (a fresh random seed when none is set) and its grammar, if any.</summary>
    private SequenceSampler CreateSampler(Llama4SamplingOptions sampling, Llama4Grammar? grammar) =>
        new(SamplingSettings.Create(sampling), grammar is null ? null : new GrammarConstraint(_weights.NativeHandle, grammar));

    private static Dictionary<string, LLamaToken> ResolveSpecialTokens(LLamaWeights weights, string path)
    {
        var resolved = new Dictionary<string, LLamaToken>(StringComparer.Ordinal);
        string[] required = [Llama4SpecialTokens.BeginOfText, Llama4SpecialTokens.HeaderStart, Llama4SpecialTokens.HeaderEnd, Llama4SpecialTokens.EndOfTurn];
        string[] optional = [Llama4SpecialTokens.EndOfMessage, Llama4SpecialTokens.EndOfText, Llama4SpecialTokens.PythonStart, Llama4SpecialTokens.PythonEnd, Llama4SpecialTokens.Image];
        foreach (var text in required.Concat(optional))
        {
            if (ResolveSpecialToken(weights, text) is { } id)
            {
                resolved[text] = id;
            }
            else if (required.Contains(text))
            {
                throw new Llama4ModelValidationException(
                    Llama4ModelProblem.NotLlama4Tokenizer,
                    path,
                    $"The model's vocabulary has no single special token {text}, so it cannot use the Llama 4 chat format. Use a Llama 4 instruct GGUF.");
            }
        }

        return resolved;
    }

    private static LLamaToken? ResolveSpecialToken(LLamaWeights weights, string text)
    {
        var tokens = weights.Tokenize(text, false, true, Encoding.UTF8);
        return tokens.Length == 1 && tokens[0].IsControl(weights.Vocab) ? tokens[0] : null;
    }

    private static GGMLType ToGgmlType(Llama4KvCacheType type) => type switch
    {
        Llama4KvCacheType.F16 => GGMLType.GGML_TYPE_F16,
        Llama4KvCacheType.BF16 => (GGMLType)30,
        Llama4KvCacheType.F32 => GGMLType.GGML_TYPE_F32,
        Llama4KvCacheType.Q8_0 => GGMLType.GGML_TYPE_Q8_0,
        Llama4KvCacheType.Q4_0 => GGMLType.GGML_TYPE_Q4_0,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown KV cache type."),
    };

    private static double ToMiB(long bytes) => bytes / (1024.0 * 1024.0);

    private static Llama4ModelValidationException LoadFailed(string path, string what, Exception inner)
    {
        var native = NativeRuntime.RecentErrorText();
        var reason = native.Length > 0 ? $" llama.cpp said:{Environment.NewLine}{native}" : " llama.cpp gave no reason; enable Debug logging for category Llama4.Core.LlamaCpp.";
        return new Llama4ModelValidationException(
            Llama4ModelProblem.LoadFailed,
            path,
            $"{what} '{path}'.{reason}{Environment.NewLine}Check that the file is a complete Llama 4 GGUF supported by llama.cpp and that there is enough memory for the configured ContextSize and MaxParallelSequences.",
            inner);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(IsDisposed, this);

    private void ValidateDestination(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!destination.CanWrite)
        {
            throw new ArgumentException("The destination stream must be writable.", nameof(destination));
        }

        ThrowIfDisposed();
    }

    private async Task<Llama4SessionInfo> SaveSessionCoreAsync(Func<KvSequence?> find, string notFound, Stream destination, CancellationToken cancellationToken)
    {
        // The identity reads the model file's header once; do it here rather than on the inference loop.
        _ = _sessionIdentity.Value;
        var command = new LoopCommand<SessionSnapshot?>(() => TrySnapshot(find(), notFound), cancellationToken);
        await QueueCommandAsync(command).ConfigureAwait(false);
        var snapshot = (await command.Result.ConfigureAwait(false))!;
        using (snapshot.State)
        {
            await SessionFile.WriteAsync(destination, snapshot.Header, snapshot.Tokens, snapshot.State, cancellationToken).ConfigureAwait(false);
        }

        return new Llama4SessionInfo(snapshot.Header.ConversationId, snapshot.Tokens.Length, snapshot.State.Length);
    }

    private Task QueueCommandAsync(LoopCommand command)
    {
        if (!_incoming.Writer.TryWrite(command))
        {
            throw new ObjectDisposedException(nameof(Llama4Engine), "The Llama 4 engine was disposed.");
        }

        return Task.CompletedTask;
    }

    /// <summary>On the loop: copies a sequence's state once it is idle.</summary>
    private unsafe (bool Done, SessionSnapshot? Value) TrySnapshot(KvSequence? sequence, string notFound)
    {
        if (sequence is null)
        {
            throw new Llama4SessionException(
                Llama4SessionProblem.NotCached,
                $"Nothing to save: {notFound}. Save right after a request of the conversation ran on this engine (idle sequences are evicted when their slot or cells are needed).");
        }

        if (!sequence.IsIdle || sequence.Conversation.RequiresInference)
        {
            return (false, null);
        }

        var context = _cache.Executor.Context.NativeHandle;
        var id = sequence.Conversation.ConversationId;
        var size = context.GetStateSize(id);
        var state = new NativeStateBuffer(checked((long)size));
        try
        {
            var written = context.GetState(state.Pointer, size, id);
            if (written != size)
            {
                throw new Llama4SessionException(Llama4SessionProblem.RestoreFailed, $"llama.cpp wrote {written} of {size} state bytes for the sequence; the session was not saved.");
            }

            var tokens = sequence.DecodedTokens.ToArray();
            var header = _sessionIdentity.Value with
            {
                ConversationId = sequence.ConversationId,
                PreambleLength = sequence.PreambleLength,
                TokenCount = tokens.Length,
                StateBytes = state.Length,
                SavedAt = DateTimeOffset.UtcNow,
            };
            return (true, new SessionSnapshot(header, tokens, state));
        }
        catch
        {
            state.Dispose();
            throw;
        }
    }

    /// <summary>On the loop: loads a checked session into a new idle sequence once a slot and cells are free.</summary>
    private unsafe (bool Done, Llama4SessionInfo Value) TryRestore(SessionFile file)
    {
        if (!_cache.TryMakeRoom(file.Tokens.Length, ReservedByRunning(_active)))
        {
            return (false, null!);
        }

        var sequence = _cache.Create();
        var context = _cache.Executor.Context.NativeHandle;
        var id = sequence.Conversation.ConversationId;
        nuint read = 0;
        var tokenCount = file.Tokens.Length;
        sequence.Conversation.Modify((_, _) =>
        {
            read = context.SetState(file.State.Pointer, (nuint)file.State.Length, id);
            return tokenCount;
        });
        sequence.SetDecoded(file.Tokens);
        _cache.AdoptRestored(sequence);
        if (read != (nuint)file.State.Length || !_cache.PositionsMatch(sequence, tokenCount))
        {
            _cache.Evict(sequence);
            throw new Llama4SessionException(
                Llama4SessionProblem.RestoreFailed,
                $"llama.cpp did not restore the saved state (read {read} of {file.State.Length} bytes, or its cache positions do not match the {tokenCount} saved tokens). Check llama.cpp's log (category Llama4.Core.LlamaCpp).");
        }

        _cache.Assign(sequence, file.Header.ConversationId, file.Header.PreambleLength);
        return (true, new Llama4SessionInfo(file.Header.ConversationId, tokenCount, file.State.Length));
    }

    private SessionHeader CreateSessionIdentity()
    {
        // The GGUF header (metadata and tensor table) plus samples spread over the tensor data: two files with the same
        // shape but other weights (another fine-tune) differ in their data, and hashing a 60 GB file whole would take minutes.
        const int Samples = 64;
        const int SampleBytes = 64 * 1024;
        var file = GgufFile.Read(Model.Path);
        byte[] fingerprint;
        using (var stream = new FileStream(Model.Path, FileMode.Open, FileAccess.Read, FileShare.Read))
        using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            var header = new byte[file.DataOffset];
            stream.ReadExactly(header);
            hash.AppendData(header);
            var sample = new byte[SampleBytes];
            var dataLength = stream.Length - file.DataOffset;
            for (var i = 0; i < Samples && dataLength > 0; i++)
            {
                stream.Position = file.DataOffset + (dataLength * i / Samples);
                var read = stream.ReadAtLeast(sample, SampleBytes, throwOnEndOfStream: false);
                hash.AppendData(sample, 0, read);
            }

            fingerprint = hash.GetHashAndReset();
        }

        return new SessionHeader
        {
            ModelName = Model.Name,
            ModelFingerprint = Convert.ToHexStringLower(fingerprint),
            ModelFileLength = Model.FileSizeBytes,
            LibraryVersion = typeof(LLamaWeights).Assembly.GetName().Version?.ToString() ?? "unknown",
            ContextSize = ContextSize,
            SequenceContextSize = SequenceContextSize,
            UnifiedKvCache = Options.UnifiedKvCache,
            FullSizeSwaCache = Options.FullSizeSwaCache,
            KeyCacheType = Options.KeyCacheType.ToString(),
            ValueCacheType = Options.ValueCacheType.ToString(),
            FlashAttention = _contextParams.FlashAttention ?? false,
            ChunkSize = ChunkSize,
        };
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Loading Llama 4 model {Path}: backend {Backend}, context {ContextSize}, {Sequences} parallel sequences, {GpuLayers} GPU layers, flash attention {FlashAttention}, unified KV cache {UnifiedKvCache}.")]
    private static partial void LogLoading(ILogger logger, string path, Llama4Backend backend, int contextSize, int sequences, int gpuLayers, bool flashAttention, bool unifiedKvCache);

    [LoggerMessage(EventId = 115, Level = LogLevel.Information, Message = "Estimated memory: weights {WeightsMiB} MiB, KV cache {KvMiB} MiB, compute and output buffers {BuffersMiB} MiB, total {TotalMiB} MiB.")]
    private static partial void LogMemoryEstimate(ILogger logger, long weightsMiB, long kvMiB, long buffersMiB, long totalMiB);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Loaded Llama 4 model {ModelId} in {Milliseconds:F0} ms on backend {Backend}.")]
    private static partial void LogLoaded(ILogger logger, string modelId, double milliseconds, Llama4Backend backend);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Backend Auto found no usable GPU backend (no CUDA backend package, driver or device): running on the CPU.")]
    private static partial void LogCpuFallback(ILogger logger);

    [LoggerMessage(EventId = 103, Level = LogLevel.Error, Message = "llama.cpp decode failed with {Result}; failing {Count} request(s) and rebuilding the context.")]
    private static partial void LogDecodeFailed(ILogger logger, string result, int count);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "A request reached the end of the free context ({Tokens} tokens in its sequence, context {ContextSize}); it ends with finish reason Length.")]
    private static partial void LogContextFull(ILogger logger, int tokens, int contextSize);

    [LoggerMessage(EventId = 105, Level = LogLevel.Error, Message = "The inference loop failed.")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 107, Level = LogLevel.Debug, Message = "Tool-call parsing: {Warning}")]
    private static partial void LogToolCallWarning(ILogger logger, string warning);

    [LoggerMessage(EventId = 108, Level = LogLevel.Debug, Message = "Repaired an argument of a call to {Tool}: {Repair}")]
    private static partial void LogToolArgumentRepaired(ILogger logger, string tool, string repair);

    [LoggerMessage(EventId = 109, Level = LogLevel.Debug, Message = "The model started a tool call; the rest of the reply is constrained to the tools' schemas.")]
    private static partial void LogToolCallConstrained(ILogger logger);

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "The parameters schema of tool {Tool} uses a keyword a grammar cannot enforce; in Auto mode its arguments are generated unconstrained.")]
    private static partial void LogToolArgumentsUnconstrained(ILogger logger, string tool);

    [LoggerMessage(EventId = 111, Level = LogLevel.Debug, Message = "KV cache placement {Kind}: {Reused} of {PromptTokens} prompt tokens reused, {Processed} to decode.")]
    private static partial void LogPlacement(ILogger logger, KvPlacementKind kind, int reused, int promptTokens, int processed);

    [LoggerMessage(EventId = 112, Level = LogLevel.Information, Message = "The prompt matched {Matched} cached tokens, but the chunked-attention cache no longer holds that point's {ChunkSize}-token chunk: reusing {Reused} tokens and re-processing from the chunk start. A full-size SWA cache (FullSizeSwaCache) keeps earlier chunks reusable.")]
    private static partial void LogReuseLimitedByChunk(ILogger logger, int matched, int reused, int chunkSize);

    [LoggerMessage(EventId = 113, Level = LogLevel.Warning, Message = "llama.cpp's cache positions did not confirm the reuse of {Reused} cached tokens; the prompt is re-processed in full.")]
    private static partial void LogReuseRejected(ILogger logger, int reused);

    [LoggerMessage(EventId = 114, Level = LogLevel.Debug, Message = "The KV cache was full; evicted an idle cached sequence and retrying the decode.")]
    private static partial void LogKvFullEvicted(ILogger logger);

    [LoggerMessage(EventId = 116, Level = LogLevel.Warning, Message = "A required tool call was cut off by MaxOutputTokens after {OutputTokens} tokens; no call and no text are returned (finish reason Length). Raise MaxOutputTokens.")]
    private static partial void LogRequiredCallCutOff(ILogger logger, int outputTokens);

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning, Message = "Releasing a sequence failed.")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception);
}
