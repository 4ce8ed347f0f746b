using System.Text.Json;
using Llama4.Core;
using Llama4.Extensions.AI;

namespace Microsoft.Extensions.AI;

/// <summary>
/// Pinning messages for the Llama 4 chat reducers, recognising their summaries, and creating the reducers from a
/// Llama 4 chat client pipeline.
/// </summary>
public static class Llama4ChatReductionExtensions
{
    /// <summary>
    /// The <see cref="ChatMessage.AdditionalProperties"/> key that pins a message: with the value <see langword="true"/>
    /// (a <see cref="bool"/>, or a JSON <c>true</c> after the history went through serialization) the Llama 4 reducers
    /// never evict the message, nor the tool call or results it belongs to. Set it directly, or call
    /// <see cref="PinForChatReduction"/>.
    /// </summary>
    public const string PinnedPropertyKey = "llama4.chat_reduction.pinned";

    /// <summary>
    /// The <see cref="ChatMessage.AdditionalProperties"/> key, with the value <see langword="true"/>, that marks the
    /// summary message written by <see cref="Llama4SummarizingChatReducer"/>.
    /// </summary>
    public const string SummaryPropertyKey = "llama4.chat_reduction.summary";

    /// <summary>Pins a message so that the Llama 4 chat reducers never evict it (sets <see cref="PinnedPropertyKey"/>).</summary>
    /// <param name="message">The message.</param>
    /// <returns>The same message, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    public static ChatMessage PinForChatReduction(this ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        (message.AdditionalProperties ??= [])[PinnedPropertyKey] = true;
        return message;
    }

    /// <summary>Gets whether a message is pinned for the Llama 4 chat reducers.</summary>
    /// <param name="message">The message.</param>
    /// <returns><see langword="true"/> when <see cref="PinnedPropertyKey"/> holds <see langword="true"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    public static bool IsPinnedForChatReduction(this ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return IsTrue(message, PinnedPropertyKey);
    }

    /// <summary>Gets whether a message is a summary written by <see cref="Llama4SummarizingChatReducer"/>.</summary>
    /// <param name="message">The message.</param>
    /// <returns><see langword="true"/> when <see cref="SummaryPropertyKey"/> holds <see langword="true"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    public static bool IsChatReductionSummary(this ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return IsTrue(message, SummaryPropertyKey);
    }

    /// <summary>
    /// Creates a <see cref="Llama4TruncatingChatReducer"/> over the <see cref="Llama4Engine"/> behind a chat client
    /// pipeline (found with <c>GetService</c>), for example to pass to <c>UseChatReducer</c> or to an agent's history.
    /// </summary>
    /// <param name="client">A <see cref="Llama4ChatClient"/> or a pipeline over one.</param>
    /// <param name="options">The reducer's budget.</param>
    /// <returns>The reducer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The client is not a Llama 4 client, or the options are invalid.</exception>
    public static Llama4TruncatingChatReducer CreateLlama4TruncatingChatReducer(this IChatClient client, Llama4TruncatingChatReducerOptions options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        return new Llama4TruncatingChatReducer(EngineOf(client), options);
    }

    /// <summary>
    /// Creates a <see cref="Llama4SummarizingChatReducer"/> that summarizes evicted messages with
    /// <paramref name="client"/> itself and counts tokens with the <see cref="Llama4Engine"/> behind it.
    /// </summary>
    /// <param name="client">
    /// A <see cref="Llama4ChatClient"/> or a pipeline over one. Pass the client WITHOUT the reducer in its pipeline (for
    /// example the inner client of <c>UseChatReducer</c>), or the summary requests would be reduced too.
    /// </param>
    /// <param name="options">The reducer's budget and summary settings.</param>
    /// <returns>The reducer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The client is not a Llama 4 client, or the options are invalid.</exception>
    public static Llama4SummarizingChatReducer CreateLlama4SummarizingChatReducer(this IChatClient client, Llama4SummarizingChatReducerOptions options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        return new Llama4SummarizingChatReducer(client, EngineOf(client), options);
    }

    private static Llama4Engine EngineOf(IChatClient client) =>
        client.GetService<Llama4Engine>() ?? throw new ArgumentException(
            $"The chat client ({client.GetType().Name}) is not a Llama4ChatClient nor a pipeline over one, so there is no Llama 4 engine to count tokens with. " +
            "Create the reducer from the Llama4ChatClient (or its pipeline), or construct it with the engine.",
            nameof(client));

    private static bool IsTrue(ChatMessage message, string key) =>
        message.AdditionalProperties?.TryGetValue(key, out var value) == true &&
        value switch
        {
            bool flag => flag,
            JsonElement { ValueKind: JsonValueKind.True } => true,
            _ => false,
        };
}
