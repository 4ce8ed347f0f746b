using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Llama4.Core.Gguf;
using Llama4.Core.Inference;
using Llama4.Core.Native;
using LLama;
using LLama.Native;
using Microsoft.Extensions.Logging;

namespace Llama4.Core;

/// <summary>Image input through llama.cpp's mtmd (see docs/vision.md).</summary>
public sealed partial class Llama4Engine
{
    // mtmd's context is not documented as thread-safe: image tokenization (caller threads) and image evaluation (the
    // loop) take turns.
    private const int MaxRememberedImages = 4096;

    private readonly Lock _mediaLock = new();

    // Layouts of images this engine decoded, by content (SHA-256): counting a prompt again does not decode them.
    private readonly ConcurrentDictionary<string, ImageTileLayout> _imageLayouts = new(StringComparer.Ordinal);

    // The vocabulary ids of the image layout's marker tokens (all zero without a projector).
    private readonly ImageMarkerTokens _imageMarkers;

    private long _imageDecodes;

    /// <summary>Gets how many times this engine decoded and tiled an image (tests check that counting does not repeat it).</summary>
    internal long ImageDecodeCount => Interlocked.Read(ref _imageDecodes);

    /// <summary>Gets a value indicating whether the engine reads images (it was loaded with a <see cref="Llama4EngineOptions.ProjectorPath"/>).</summary>
    public bool SupportsImages => _projector is not null;

    /// <summary>
    /// Gets the image tokens one tile gives with the loaded projector (an image no larger than a tile is one tile; a
    /// larger one a grid of tiles plus an overview tile), or 0 without a projector.
    /// </summary>
    public int ImageTokensPerTile => _projectorInfo?.TokensPerTile ?? 0;

    /// <summary>Checks and loads the projector named by the options; null when none is configured.</summary>
    private static async Task<(MtmdWeights Weights, Llama4ProjectorInfo Info, ulong Identity, ImageMarkerTokens Markers)?> LoadProjectorAsync(
        Llama4EngineOptions options,
        Llama4ModelInfo model,
        LLamaWeights weights,
        bool useGpu,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        if (options.ProjectorPath is not { } path)
        {
            return null;
        }

        var info = Llama4ProjectorValidator.Validate(path, model);
        int Marker(string marker) => (int?)ResolveSpecialToken(weights, marker)
            ?? throw new Llama4ModelValidationException(
                Llama4ModelProblem.ProjectorMismatch,
                model.Path,
                $"A vision projector is configured, but the text model's vocabulary has no single special token {marker}, which Llama 4's image layout uses; use a Llama 4 instruct GGUF with its image tokens, or remove ProjectorPath.");
        var markers = new ImageMarkerTokens(
            Marker(Llama4SpecialTokens.ImageStart),
            Marker(Llama4SpecialTokens.ImageEnd),
            Marker(Llama4SpecialTokens.Image),
            Marker(Llama4SpecialTokens.TileXSeparator),
            Marker(Llama4SpecialTokens.TileYSeparator));

        var parameters = MtmdContextParams.Default();
        parameters.UseGpu = useGpu;
        parameters.PrintTimings = false;
        parameters.NThreads = options.Threads ?? Math.Max(1, Environment.ProcessorCount / 2);
        var started = Stopwatch.GetTimestamp();
        if (!NativeRuntime.RouteMtmdLog())
        {
            LogMtmdLogNotRouted(logger);
        }

        NativeRuntime.ClearRecentErrors();
        MtmdWeights projector;
        try
        {
            projector = await MtmdWeights.LoadFromFileAsync(info.Path, weights, parameters, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            throw new Llama4ModelValidationException(
                Llama4ModelProblem.LoadFailed,
                info.Path,
                $"llama.cpp's mtmd could not load the vision projector '{info.Path}': {ex.Message} {NativeRuntime.RecentErrorText()} Check that it is the mmproj of the same Llama 4 checkpoint as the model.",
                ex);
        }

        if (!projector.SupportsVision)
        {
            projector.Dispose();
            throw new Llama4ModelValidationException(
                Llama4ModelProblem.ProjectorMismatch,
                info.Path,
                $"The projector '{info.Path}' loaded but has no vision support; use the Llama 4 vision mmproj.");
        }

        var identity = ProjectorIdentity(info.Path);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        LogProjectorLoaded(logger, info.Path, info.TokensPerTile, elapsed, useGpu);
        return (projector, info, identity, markers);
    }

    /// <summary>
    /// A number that identifies the projector file (size, and hashes of its first and last MiB): image ledger ids depend
    /// on it, so cached or saved image cells are never matched against an engine with another projector.
    /// </summary>
    private static ulong ProjectorIdentity(string path)
    {
        const int Window = 1 << 20;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var length = stream.Length;
        var buffer = new byte[8 + (2 * (int)Math.Min(Window, length))];
        BinaryPrimitives.WriteInt64LittleEndian(buffer, length);
        var head = (int)Math.Min(Window, length);
        stream.ReadExactly(buffer, 8, head);
        stream.Seek(Math.Max(0, length - head), SeekOrigin.Begin);
        stream.ReadExactly(buffer, 8 + head, head);
        return BinaryPrimitives.ReadUInt64LittleEndian(SHA256.HashData(buffer));
    }

    /// <summary>
    /// Tokenizes a prompt as the engine decodes it. Text is tokenized by the engine itself (mtmd's own tokenizer in
    /// LLamaSharp 0.30 adds a stray NUL token); each image is checked (format, structure, size), decoded and split into
    /// tiles by mtmd, only its image chunks are kept, and it is laid out in Meta's format (<see cref="ImageTileLayout"/>:
    /// the marker tokens are the engine's, the tiles mtmd's).
    /// </summary>
    /// <exception cref="Llama4ImageException">An image cannot be used; nothing is left allocated.</exception>
    /// <param name="prompt">The prompt.</param>
    /// <param name="countOnly">
    /// Only the token ids are needed (counting, sessions): an image this engine has already decoded is not decoded
    /// again; its token count is remembered by content, and the returned prompt carries no image chunks for it.
    /// </param>
    internal TokenizedPrompt TokenizeForDecoding(Llama4Prompt prompt, bool countOnly = false)
        => TokenizeForDecoding(prompt, countOnly, int.MaxValue, 0, CancellationToken.None);

    /// <summary>
    /// Tokenizes a prompt as the engine decodes it, refusing it with <see cref="Llama4ContextOverflowException"/> as soon
    /// as it is known to have more than <paramref name="maxTokens"/> tokens: at once when its text alone is too long
    /// for any tokenization to fit (every token covers at most the vocabulary's longest token in bytes), otherwise after
    /// tokenizing no more than about <paramref name="maxTokens"/> tokens of it.
    /// </summary>
    internal TokenizedPrompt TokenizeForDecoding(Llama4Prompt prompt, bool countOnly, int maxTokens, int reservedOutput, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ThrowIfDisposed();
        if (maxTokens < int.MaxValue && MinimumTokens(prompt) > maxTokens)
        {
            throw PromptTooLong(maxTokens, reservedOutput);
        }

        var tokens = new List<int>();
        var images = new List<PromptImage>();
        var end = prompt.PreambleEnd;
        var preambleLength = 0;
        try
        {
            for (var index = 0; index < prompt.Segments.Count; index++)
            {
                var segment = prompt.Segments[index];
                if (end is { } boundary && boundary.Segment == index)
                {
                    preambleLength = tokens.Count + PreambleTokensIn(segment, boundary.Characters);
                }

                if (segment.Image is { } image)
                {
                    var prepared = countOnly ? null : PrepareImage(image);
                    if (prepared is not null)
                    {
                        images.Add(prepared);
                    }

                    var layout = prepared?.Layout ?? LayoutOf(image);
                    var tileStarts = prepared is null ? null : new List<int>();
                    layout.AppendTo(tokens, _imageMarkers, _projectorIdentity, image.HashPrefix, tileStarts);
                    prepared?.Place(tileStarts!);
                }
                else if (segment.IsSpecialToken)
                {
                    tokens.Add((int)SpecialTokenId(segment.Text));
                }
                else if (segment.Text.Length > 0)
                {
                    var text = _tokenizationCache.Get(segment.Text, maxTokens - tokens.Count, cancellationToken)
                        ?? throw PromptTooLong(maxTokens, reservedOutput);
                    foreach (var token in text)
                    {
                        tokens.Add((int)token);
                    }
                }

                if (tokens.Count > maxTokens)
                {
                    throw PromptTooLong(maxTokens, reservedOutput);
                }
            }

            if (end is { } last && last.Segment >= prompt.Segments.Count)
            {
                preambleLength = tokens.Count;
            }

            return new TokenizedPrompt([.. tokens], preambleLength, images);
        }
        catch
        {
            foreach (var image in images)
            {
                image.Dispose();
            }

            throw;
        }
    }

    private LLamaToken SpecialTokenId(string text)
    {
        if (!_specialTokens.TryGetValue(text, out var id))
        {
            id = ResolveSpecialToken(_weights, text)
                ?? throw new InvalidOperationException($"The model's vocabulary has no special token {text}.");
        }

        return id;
    }

    /// <summary>
    /// Gets an image's layout for counting: remembered from an earlier decode of the same bytes when there is one, else
    /// the image is decoded and tiled (and its chunks released).
    /// </summary>
    private ImageTileLayout LayoutOf(Llama4Image image)
    {
        if (_imageLayouts.TryGetValue(image.Id, out var known))
        {
            return known;
        }

        using var prepared = PrepareImage(image);
        return prepared.Layout;
    }

    private PromptImage PrepareImage(Llama4Image image)
    {
        if (_projector is null)
        {
            throw new Llama4ImageException(
                Llama4ImageProblem.NoProjector,
                $"The prompt carries an image, but the engine for '{ModelId}' was loaded without a vision projector; set Llama4EngineOptions.ProjectorPath to the Llama 4 mmproj GGUF (docs/vision.md), or send text only.");
        }

        if (image.Data.Length > Options.MaxImageBytes)
        {
            throw new Llama4ImageException(
                Llama4ImageProblem.TooLarge,
                $"The image is {image.Data.Length} bytes, more than MaxImageBytes ({Options.MaxImageBytes}); send a smaller image or raise Llama4EngineOptions.MaxImageBytes.");
        }

        var header = ImageSniffer.Inspect(image.Data.Span);
        if ((long)header.Width * header.Height > Options.MaxImagePixels)
        {
            throw new Llama4ImageException(
                Llama4ImageProblem.TooLarge,
                $"The {header.Format.ToUpperInvariant()} image is {header.Width}x{header.Height} pixels, more than MaxImagePixels ({Options.MaxImagePixels}); downscale it or raise Llama4EngineOptions.MaxImagePixels.");
        }

        Interlocked.Increment(ref _imageDecodes);
        lock (_mediaLock)
        {
            using var bitmap = SafeMtmdEmbed.FromMediaBuffer(_projector.NativeHandle, image.Data.Span)
                ?? throw new Llama4ImageException(
                    Llama4ImageProblem.Corrupt,
                    $"The {header.Format.ToUpperInvariant()} image ({header.Width}x{header.Height}) could not be decoded; send a valid PNG, JPEG, GIF or BMP file.");
            var status = _projector.NativeHandle.Tokenize(_mediaMarker, false, true, [bitmap], out var chunks);
            if (status != 0 || chunks is null)
            {
                chunks?.Dispose();
                throw new Llama4ImageException(
                    Llama4ImageProblem.Corrupt,
                    $"mtmd could not split the {header.Format.ToUpperInvariant()} image ({header.Width}x{header.Height}) into tiles (status {status}); send a valid image.");
            }

            var tiles = new List<nint>();
            var tileTokens = new List<int>();
            foreach (var chunk in chunks.Enumerate())
            {
                // Only the image chunks (one per tile): the text chunks around them (mtmd's <|image_start|> and
                // <|image_end|>, and LLamaSharp's stray NUL token) are replaced by the engine's own layout.
                if (chunk.Type == SafeMtmdInputChunk.SafeMtmdInputChunkType.Image)
                {
                    tiles.Add(chunk.NativePtr);
                    tileTokens.Add(checked((int)chunk.NTokens));
                }
            }

            ImageTileLayout layout;
            try
            {
                layout = tiles.Count == 0
                    ? throw new Llama4ImageException(Llama4ImageProblem.Corrupt, "mtmd produced no image tokens for the image; send a valid image.")
                    : ImageTileLayout.Create(tileTokens, header.Width, header.Height);
            }
            catch
            {
                chunks.Dispose();
                throw;
            }

            if (_imageLayouts.Count >= MaxRememberedImages)
            {
                _imageLayouts.Clear();
            }

            _imageLayouts[image.Id] = layout;
            return new PromptImage(chunks, tiles, layout, header);
        }
    }

    /// <summary>
    /// Queues or evaluates the next parts of a request's prompt: text (an image's marker tokens included) is queued on
    /// its conversation (decoded by the next batch); an image tile is evaluated at once at the conversation's next
    /// positions, which needs every earlier token decoded first. Stops after queuing text; the loop calls again once
    /// that text is decoded.
    /// </summary>
    private void AdvancePrompt(GenerationSession session)
    {
        var sequence = session.Sequence!;
        var prompt = session.PromptTokens;
        while (!session.PromptQueued && !sequence.Conversation.RequiresInference)
        {
            var cursor = session.PromptCursor;
            if (FindTileAt(session, cursor, out var chunk, out var tokens))
            {
                EvaluateTile(sequence, chunk, prompt.AsSpan(cursor, tokens));
                session.PromptCursor = cursor + tokens;
                continue;
            }

            var next = cursor;
            while (next < prompt.Length && !ImageTokenIds.IsImage(prompt[next]))
            {
                next++;
            }

            _cache.Prompt(sequence, prompt.AsSpan(cursor, next - cursor));
            session.PromptCursor = next;
        }
    }

    private static bool FindTileAt(GenerationSession session, int position, out nint chunk, out int tokens)
    {
        foreach (var image in session.Images)
        {
            if (image.TryGetTileAt(position, out chunk, out tokens))
            {
                return true;
            }
        }

        chunk = 0;
        tokens = 0;
        return false;
    }

    /// <summary>
    /// Evaluates an image tile into a sequence. Admission already counted the image's cells; when llama.cpp still finds
    /// no room, idle sequences are evicted and the tile retried. A failed tile leaves cells written, so they are removed
    /// (LLamaSharp would re-queue such a batch forever); the tiles and markers evaluated before it stay, as the
    /// sequence's ledger records them.
    /// </summary>
    private void EvaluateTile(KvSequence sequence, nint chunk, ReadOnlySpan<int> ids)
    {
        var conversation = sequence.Conversation;
        var context = _cache.Executor.Context.NativeHandle;
        var start = conversation.TokenCount;
        var past = start;
        var seqId = (int)conversation.ConversationId;
        while (true)
        {
            int status;
            lock (_mediaLock)
            {
                status = _projector!.NativeHandle.EvaluateChunk(chunk, context, ref past, seqId, Options.BatchSize, logitsLast: false);
            }

            if (status == 0)
            {
                break;
            }

            RemoveCellsFrom(conversation, start);
            past = start;
            if (!_cache.EvictLeastRecentlyUsed())
            {
                throw new Llama4InferenceException(
                    $"llama.cpp could not evaluate an image tile of {ids.Length} tokens at position {start} (mtmd status {status}); the KV cache has no room left. Lower MaxParallelSequences or raise ContextSize.");
            }

            LogKvFullEvicted(_logger);
        }

        var evaluated = past;
        conversation.Modify((_, _) => evaluated);
        _cache.AddEvaluatedImage(sequence, ids);
        RecordDecode(ids.Length, 1);
    }

    private static void RemoveCellsFrom(LLama.Batched.Conversation conversation, int position)
    {
        conversation.Modify((end, kv) =>
        {
            kv.Remove((LLamaPos)position, (LLamaPos)(-1));
            return end;
        });
    }

    [LoggerMessage(EventId = 131, Level = LogLevel.Debug, Message = "mtmd's log could not be routed (library or mtmd_log_set not found); it goes to the console.")]
    private static partial void LogMtmdLogNotRouted(ILogger logger);

    [LoggerMessage(EventId = 130, Level = LogLevel.Information, Message = "Loaded vision projector {Path}: {TokensPerTile} tokens per image tile, in {Milliseconds:F0} ms (GPU {UseGpu}).")]
    private static partial void LogProjectorLoaded(ILogger logger, string path, int tokensPerTile, double milliseconds, bool useGpu);
}
