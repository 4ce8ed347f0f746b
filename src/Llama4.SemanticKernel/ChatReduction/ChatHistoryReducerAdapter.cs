using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using AIFunctionCallContent = Microsoft.Extensions.AI.FunctionCallContent;
using AIFunctionResultContent = Microsoft.Extensions.AI.FunctionResultContent;
using AITextContent = Microsoft.Extensions.AI.TextContent;

namespace Llama4.SemanticKernel;

/// <summary>
/// Semantic Kernel's <see cref="IChatHistoryReducer"/> over any Microsoft.Extensions.AI <see cref="IChatReducer"/>, for
/// example a <c>Llama4TruncatingChatReducer</c> or <c>Llama4SummarizingChatReducer</c>, so that
/// <c>ChatHistory.ReduceAsync</c>, <c>ReduceInPlaceAsync</c> and agents that take an <see cref="IChatHistoryReducer"/>
/// count real Llama 4 tokens.
/// </summary>
/// <remarks>
/// Messages are converted with Semantic Kernel's own <c>ToChatMessage()</c> (metadata becomes
/// <see cref="ChatMessage.AdditionalProperties"/>, so a message is pinned by setting the metadata key
/// <c>Llama4ChatReductionExtensions.PinnedPropertyKey</c> to <see langword="true"/>). Messages the reducer keeps come back
/// as the original <see cref="ChatMessageContent"/> instances, untouched; messages it writes (a summary) are converted
/// to text, function-call and function-result items with their additional properties as metadata. Semantic Kernel's
/// conversion back from <see cref="ChatMessage"/> is internal, hence this small mapping.
/// </remarks>
public sealed class ChatHistoryReducerAdapter : IChatHistoryReducer
{
    /// <summary>Creates an adapter.</summary>
    /// <param name="reducer">The Microsoft.Extensions.AI reducer that does the work.</param>
    /// <exception cref="ArgumentNullException"><paramref name="reducer"/> is <see langword="null"/>.</exception>
    public ChatHistoryReducerAdapter(IChatReducer reducer)
    {
        ArgumentNullException.ThrowIfNull(reducer);
        Reducer = reducer;
    }

    /// <summary>Gets the reducer that does the work.</summary>
    public IChatReducer Reducer { get; }

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">The reducer wrote a message with content other than text, function calls and function results.</exception>
    public async Task<IEnumerable<ChatMessageContent>?> ReduceAsync(IReadOnlyList<ChatMessageContent> chatHistory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chatHistory);
        var originals = new Dictionary<ChatMessage, ChatMessageContent>(chatHistory.Count, ReferenceEqualityComparer.Instance);
        var messages = new List<ChatMessage>(chatHistory.Count);
        foreach (var content in chatHistory)
        {
            ArgumentNullException.ThrowIfNull(content, nameof(chatHistory));
#pragma warning disable SKEXP0001 // Semantic Kernel's own ChatMessageContent -> ChatMessage conversion (marked experimental).
            var message = content.ToChatMessage();
#pragma warning restore SKEXP0001
            originals[message] = content;
            messages.Add(message);
        }

        var reduced = (await Reducer.ReduceAsync(messages, cancellationToken).ConfigureAwait(false)).ToList();
        if (reduced.Count == messages.Count && reduced.Select((m, i) => ReferenceEquals(m, messages[i])).All(same => same))
        {
            return null;
        }

        return reduced.Select(m => originals.TryGetValue(m, out var original) ? original : ToChatMessageContent(m)).ToList();
    }

    private static ChatMessageContent ToChatMessageContent(ChatMessage message)
    {
        var items = new ChatMessageContentItemCollection();
        foreach (var content in message.Contents)
        {
            items.Add(content switch
            {
                AITextContent text => new Microsoft.SemanticKernel.TextContent(text.Text),
                AIFunctionCallContent call => new Microsoft.SemanticKernel.FunctionCallContent(
                    call.Name,
                    pluginName: null,
                    call.CallId,
                    call.Arguments is null ? null : new KernelArguments(call.Arguments)),
                AIFunctionResultContent result => new Microsoft.SemanticKernel.FunctionResultContent(functionName: null, pluginName: null, result.CallId, result.Result),
                _ => throw new NotSupportedException(
                    $"The chat reducer wrote a message holding {content.GetType().Name}, which this adapter does not convert to Semantic Kernel content; it converts text, function calls and function results."),
            });
        }

        return new ChatMessageContent(new AuthorRole(message.Role.Value), items)
        {
            AuthorName = message.AuthorName,
            Metadata = message.AdditionalProperties is { Count: > 0 } properties ? new Dictionary<string, object?>(properties) : null,
        };
    }
}
