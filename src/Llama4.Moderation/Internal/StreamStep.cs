namespace Llama4.Moderation.Internal;

/// <summary>The outcome of feeding streamed text to <see cref="StreamingTextModeration"/>.</summary>
/// <param name="Release">Text that has been checked and may be shown now (possibly redacted); empty for none.</param>
/// <param name="Blocked">The blocking verdict when the stream must end; otherwise <see langword="null"/>.</param>
internal readonly record struct StreamStep(string Release, ModerationVerdict? Blocked)
{
    public static StreamStep Nothing { get; } = new(string.Empty, null);
}
