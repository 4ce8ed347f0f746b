using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Llama4.Core;
using Llama4.Extensions.AI.ChatReduction;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Llama4.Extensions.AI;

/// <summary>
/// An <see cref="IChatClient"/> over an in-process <see cref="Llama4Engine"/>. It formats conversations in the
/// Llama 4 instruct format, maps <see cref="ChatOptions"/> to sampling settings and limits, and reports finish reasons
/// and token usage. Safe for concurrent callers: requests decode together in the engine's batch. Disposing the client
/// never disposes the engine, which is usually shared.
/// </summary>
public sealed partial class Llama4ChatClient : IChatClient
{
    /// <summary>The provider name reported in <see cref="ChatClientMetadata"/>.</summary>
    public const string ProviderName = Llama4Telemetry.ProviderName;

    private readonly Llama4Engine _engine;
    private readonly Llama4ChatClientOptions _options;
    private readonly ChatClientMetadata _metadata;
    private readonly Llama4ChatTokenCounter? _overflowCounter;
    private readonly ILogger _logger;
    private int _disposed;

    /// <summary>Creates a client over a loaded engine.</summary>
    /// <param name="engine">The engine; it stays owned by the caller.</param>
    /// <param name="options">How tools are presented and what happens on context overflow; optional.</param>
    /// <param name="logger">Where the client logs (history truncated to fit the context); optional.</param>
    public Llama4ChatClient(Llama4Engine engine, Llama4ChatClientOptions? options = null, ILogger<Llama4ChatClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        _engine = engine;
        _options = options ?? new Llama4ChatClientOptions();
        // No provider URI: the model runs in-process, there is no server. (A file: URI here made UseOpenTelemetry()
        // tag every span with server.address "" and server.port -1.) The model file is GetService<Llama4ModelInfo>().Path.
        _metadata = new ChatClientMetadata(ProviderName, providerUri: null, engine.ModelId);
        _overflowCounter = _options.ContextOverflow == Llama4ContextOverflowPolicy.TruncateHistory ? new Llama4ChatTokenCounter(engine) : null;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var request = CreateRequest(messages, options);
        var responseId = NewResponseId();
        var createdAt = DateTimeOffset.UtcNow;
        var text = new StringBuilder();
        var calls = new List<AIContent>();
        Llama4GenerationUpdate? last = null;
        await foreach (var update in _engine.GenerateAsync(request, cancellationToken).ConfigureAwait(false))
        {
            text.Append(update.Text);
            calls.AddRange(update.ToolCalls.Select(c => Llama4ChatMapper.ToFunctionCall(c, NewCallId())));
            last = update;
        }

        var contents = new List<AIContent>();
        if (text.Length > 0 || calls.Count == 0)
        {
            contents.Add(new TextContent(text.ToString()));
        }

        contents.AddRange(calls);
        var message = new ChatMessage(ChatRole.Assistant, contents) { MessageId = responseId, CreatedAt = createdAt };
        return new ChatResponse(message)
        {
            ResponseId = responseId,
            ModelId = _engine.ModelId,
            CreatedAt = createdAt,
            FinishReason = last?.FinishReason is { } reason ? Llama4ChatMapper.ToFinishReason(reason) : null,
            Usage = last?.Usage is { } usage ? Llama4ChatMapper.ToUsage(usage) : null,
        };
    }

    /// <inheritdoc />
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        // Validation and tokenization happen here, so bad input throws at the call, not at the first MoveNextAsync.
        var request = CreateRequest(messages, options);
        return StreamAsync(request, cancellationToken);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return
            serviceKey is not null ? null :
            serviceType == typeof(ChatClientMetadata) ? _metadata :
            serviceType == typeof(Llama4Engine) ? _engine :
            serviceType == typeof(Llama4ModelInfo) ? _engine.Model :
            serviceType.IsInstanceOfType(this) ? this :
            null;
    }

    /// <inheritdoc />
    public void Dispose() => Interlocked.Exchange(ref _disposed, 1);

    /// <summary>
    /// Saves the KV state of a conversation that ran on this client's engine to a stream, so that
    /// <see cref="RestoreSessionAsync"/> can bring it back after a restart and the next turn does not re-process the
    /// history. With <see cref="ChatOptions.ConversationId"/> set, the engine's sequence for that id is saved; otherwise
    /// the cached sequence that shares the longest prefix with <paramref name="messages"/> (the conversation so far,
    /// usually ending with the last reply). Keep the messages themselves as your application does: the session holds
    /// only the model's cache.
    /// </summary>
    /// <param name="messages">The conversation so far.</param>
    /// <param name="destination">A writable stream; it is not closed.</param>
    /// <param name="options">The options the conversation's requests use (tools and instructions shape the prompt); optional.</param>
    /// <param name="cancellationToken">Cancels the save.</param>
    /// <returns>What was saved.</returns>
    /// <exception cref="Llama4SessionException">No cached sequence holds the conversation (<see cref="Llama4SessionProblem.NotCached"/>).</exception>
    public Task<Llama4SessionInfo> SaveSessionAsync(IEnumerable<ChatMessage> messages, Stream destination, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        ArgumentNullException.ThrowIfNull(messages);
        if (!string.IsNullOrEmpty(options?.ConversationId))
        {
            return _engine.SaveSessionAsync(options.ConversationId, destination, cancellationToken);
        }

        var prompt = Llama4ChatMapper.ToConversationPrompt(FitContext(messages, options), options, _options);
        return _engine.SaveSessionAsync(prompt, destination, cancellationToken);
    }

    /// <summary>
    /// Restores a session saved by <see cref="SaveSessionAsync"/> (on an engine with the same model file and KV cache
    /// configuration) into this client's engine; the conversation's next request continues from it.
    /// </summary>
    /// <param name="source">A readable stream positioned at the start of a session.</param>
    /// <param name="cancellationToken">Cancels the restore.</param>
    /// <returns>What was restored.</returns>
    /// <exception cref="Llama4SessionException">The data is not a session, is damaged, or belongs to another model or configuration.</exception>
    public Task<Llama4SessionInfo> RestoreSessionAsync(Stream source, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _engine.RestoreSessionAsync(source, cancellationToken);
    }

    private Llama4GenerationRequest CreateRequest(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        ArgumentNullException.ThrowIfNull(messages);
        return Llama4ChatMapper.ToRequest(FitContext(messages, options), options, this, _engine.ModelId, _options);
    }

    /// <summary>With <see cref="Llama4ContextOverflowPolicy.TruncateHistory"/>, drops the oldest messages that must go for the request to fit.</summary>
    private IEnumerable<ChatMessage> FitContext(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        if (_overflowCounter is not { } counter)
        {
            return messages;
        }

        var list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        var reserved = options?.MaxOutputTokens is > 0 and var max ? max : 1;
        var capacity = _engine.SequenceContextSize;
        var total = counter.CountTokens(list, options, _options);
        if (total + reserved <= capacity)
        {
            return list;
        }

        // Tools and instructions stay; the messages get the rest of the room.
        var besideMessages = total - counter.CountTokens(list);
        var budget = capacity - reserved - besideMessages;
        try
        {
            var (kept, tokens) = ChatReductionPlanner.Truncate(list, counter, budget, budget / 2);
            LogHistoryTruncated(_logger, list.Count - kept.Count, list.Count, tokens + besideMessages, capacity);
            return kept;
        }
        catch (Llama4ChatReductionException ex)
        {
            throw new Llama4ContextOverflowException(ex.RequiredTokens + besideMessages, reserved, capacity, ex);
        }
    }

    private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(
        Llama4GenerationRequest request,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var responseId = NewResponseId();
        var createdAt = DateTimeOffset.UtcNow;
        await foreach (var update in _engine.GenerateAsync(request, cancellationToken).ConfigureAwait(false))
        {
            if (update.Text.Length > 0)
            {
                yield return NewUpdate([new TextContent(update.Text)]);
            }

            if (update.ToolCalls.Count > 0)
            {
                yield return NewUpdate([.. update.ToolCalls.Select(c => (AIContent)Llama4ChatMapper.ToFunctionCall(c, NewCallId()))]);
            }

            if (update.IsFinal)
            {
                var final = NewUpdate(update.Usage is { } usage ? [new UsageContent(Llama4ChatMapper.ToUsage(usage))] : []);
                final.FinishReason = Llama4ChatMapper.ToFinishReason(update.FinishReason!.Value);
                yield return final;
            }
        }

        ChatResponseUpdate NewUpdate(IList<AIContent> contents) => new(ChatRole.Assistant, contents)
        {
            ResponseId = responseId,
            MessageId = responseId,
            ModelId = _engine.ModelId,
            CreatedAt = createdAt,
        };
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "The request did not fit the context: dropped the {Dropped} oldest of {Total} messages, leaving a {Tokens}-token prompt for a {Capacity}-token context.")]
    private static partial void LogHistoryTruncated(ILogger logger, int dropped, int total, int tokens, int capacity);

    private static string NewResponseId() => "llama4-" + RandomNumberGenerator.GetHexString(24, lowercase: true);

    private static string NewCallId() => "call_" + RandomNumberGenerator.GetHexString(24, lowercase: true);
}
