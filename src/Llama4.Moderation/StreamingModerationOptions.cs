namespace Llama4.Moderation;

/// <summary>How a streamed reply is moderated: in windows of accumulated text that overlap.</summary>
/// <remarks>
/// Text is released to the consumer only after a check has seen it. A check runs when
/// <see cref="CheckIntervalCharacters"/> new characters have arrived (and once at the end); it sees the new text plus
/// the last <see cref="OverlapCharacters"/> characters before it, so a phone number split across updates is still
/// found. With <see cref="HoldBack"/> on, the last <see cref="OverlapCharacters"/> characters are kept until the next
/// check, so a match that is still growing is redacted whole.
/// </remarks>
public sealed class StreamingModerationOptions
{
    /// <summary>Gets or sets how many new characters trigger a check. Default 128.</summary>
    public int CheckIntervalCharacters { get; set; } = 128;

    /// <summary>
    /// Gets or sets how many characters before the new text each check also sees, and (with <see cref="HoldBack"/>)
    /// how many are held back. Matches up to this length are found wherever they fall across updates. Default 128.
    /// </summary>
    public int OverlapCharacters { get; set; } = 128;

    /// <summary>
    /// Gets or sets whether the last <see cref="OverlapCharacters"/> characters are held back until the next check, so
    /// that redaction never shows part of a match. Turn off only when no moderator redacts output. Default on.
    /// </summary>
    public bool HoldBack { get; set; } = true;

    /// <summary>Gets or sets what a blocked stream tells the consumer about text already shown. Default <see cref="StreamingBlockBehavior.Retract"/>.</summary>
    public StreamingBlockBehavior OnBlock { get; set; } = StreamingBlockBehavior.Retract;

    internal StreamingModerationOptions Clone() => (StreamingModerationOptions)MemberwiseClone();

    internal void Validate(List<string> errors)
    {
        if (CheckIntervalCharacters < 1)
        {
            errors.Add($"Streaming.CheckIntervalCharacters must be at least 1 (was {CheckIntervalCharacters}).");
        }

        if (OverlapCharacters < 0)
        {
            errors.Add($"Streaming.OverlapCharacters must not be negative (was {OverlapCharacters}).");
        }

        if (!Enum.IsDefined(OnBlock))
        {
            errors.Add($"Streaming.OnBlock has the unknown value {OnBlock}.");
        }
    }
}
