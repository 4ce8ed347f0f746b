namespace Llama4.Moderation;

/// <summary>What a blocked stream tells the consumer about the text it already showed.</summary>
public enum StreamingBlockBehavior
{
    /// <summary>
    /// The final update carries <see cref="ModerationOptions.BlockedOutputText"/> and the retraction marker
    /// (<see cref="ModerationProperties.Retract"/> = <see langword="true"/>): the consumer must discard everything the
    /// stream showed before and display only the final update's text.
    /// </summary>
    Retract,

    /// <summary>
    /// The final update carries no text and no marker: what was shown stays, the text that was not yet released is
    /// dropped, and the stream ends with the <c>ContentFilter</c> finish reason.
    /// </summary>
    KeepStreamed,
}
