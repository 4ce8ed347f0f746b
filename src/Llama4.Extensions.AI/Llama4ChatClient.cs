using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Llama4.Core;
using Microsoft.Extensions.AI;

namespace Llama4.Extensions.AI;

/// <summary>
/// An <see cref="IChatClient"/> over an in-process <see cref="Llama4Engine"/>. It formats conversations in the
/// Llama 4 instruct format, maps <see cref="ChatOptions"/> to sampling settings and limits, and reports finish reasons
/// and token usage. Safe for concurrent callers: requests decode together in the engine's batch. Disposing the client
/// never disposes the engine, which is usually shared.
/// </summary>
public sealed class Llama4ChatClient : IChatClient
{
    /// <summary>The provider name reported in <see cref="ChatClientMetadata"/>.</summary>
    public const string ProviderName = "llama.cpp";

    private readonly Llama4Engine _engine;
    private readonly Llama4ChatClientOptions _options;
    private readonly ChatClientMetadata _metadata;
    private int _disposed;

    /// <summary>Creates a client over a loaded engine.</summary>
    /// <param name="engine">The engine; it stays owned by the caller.</param>
    /// <param name="options">How tools are presented; optional.</param>
    public Llama4ChatClient(Llama4Engine engine, Llama4ChatClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        _engine = engine;
        _options = options ?? new Llama4ChatClientOptions();
        _metadata = new ChatClientMetadata(ProviderName, new Uri(Path.GetFullPath(engine.Model.Path)), engine.ModelId);
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
            serviceType.IsInstanceOfType(this) ? this :
            null;
    }

    /// <inheritdoc />
    public void Dispose() => Interlocked.Exchange(ref _disposed, 1);

    private Llama4GenerationRequest CreateRequest(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        ArgumentNullException.ThrowIfNull(messages);
        return Llama4ChatMapper.ToRequest(messages, options, this, _engine.ModelId, _options);
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

    private static string NewResponseId() => "llama4-" + RandomNumberGenerator.GetHexString(24, lowercase: true);

    private static string NewCallId() => "call_" + RandomNumberGenerator.GetHexString(24, lowercase: true);
}
