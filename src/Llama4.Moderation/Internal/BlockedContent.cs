namespace Llama4.Moderation.Internal;

/// <summary>Content that was blocked: where it came from and the verdict.</summary>
internal sealed record BlockedContent(ModerationSource Source, ModerationVerdict Verdict);
