using Llama4.Moderation;

namespace Microsoft.Extensions.AI;

/// <summary>Reads and writes the moderation entries of chat responses, updates and messages.</summary>
public static class ModerationChatExtensions
{
    /// <summary>
    /// Gets whether this update retracts the streamed text: the consumer must discard everything shown for this reply
    /// and display only this update's text (see <see cref="StreamingBlockBehavior.Retract"/>).
    /// </summary>
    /// <param name="update">The update.</param>
    /// <returns><see langword="true"/> for a retraction.</returns>
    public static bool IsModerationRetraction(this ChatResponseUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return ModerationProperties.IsRetraction(update.AdditionalProperties);
    }

    /// <summary>Gets the categories for which moderation blocked this response.</summary>
    /// <param name="response">The response.</param>
    /// <returns>The categories; empty when moderation did not block it.</returns>
    public static IReadOnlyList<ModerationCategory> GetModerationCategories(this ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return ModerationProperties.GetCategories(response.AdditionalProperties);
    }

    /// <summary>Gets the categories for which moderation blocked the stream this update ends.</summary>
    /// <param name="update">The update.</param>
    /// <returns>The categories; empty when moderation did not block.</returns>
    public static IReadOnlyList<ModerationCategory> GetModerationCategories(this ChatResponseUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return ModerationProperties.GetCategories(update.AdditionalProperties);
    }

    /// <summary>
    /// Marks a request message to be moderated as <paramref name="source"/>: for example retrieved context placed in a
    /// user or system message as <see cref="ModerationSource.Document"/>, so that indirect-injection checks apply.
    /// Unmarked system messages are not moderated.
    /// </summary>
    /// <param name="message">The message (changed and returned).</param>
    /// <param name="source">The source to moderate it as.</param>
    /// <returns>The same message.</returns>
    public static ChatMessage WithModerationSource(this ChatMessage message, ModerationSource source)
    {
        ArgumentNullException.ThrowIfNull(message);
        (message.AdditionalProperties ??= [])[ModerationProperties.MessageSource] = source.ToString();
        return message;
    }
}
