namespace Llama4.Moderation;

/// <summary>
/// Judges one piece of text: allow it, redact it or block it. Implementations must be thread-safe; they may throw or
/// take too long, and the caller (<see cref="ModerationGuard"/>) applies the failure policy and timeout.
/// </summary>
public interface IContentModerator
{
    /// <summary>Moderates a piece of text.</summary>
    /// <param name="request">The text, where it comes from and the conversation before it.</param>
    /// <param name="cancellationToken">Cancels the moderation.</param>
    /// <returns>The verdict.</returns>
    ValueTask<ModerationVerdict> ModerateAsync(ModerationRequest request, CancellationToken cancellationToken = default);
}
