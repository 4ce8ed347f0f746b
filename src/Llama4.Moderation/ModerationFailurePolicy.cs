namespace Llama4.Moderation;

/// <summary>What happens when a moderator throws or does not answer within <see cref="ModerationOptions.Timeout"/>.</summary>
public enum ModerationFailurePolicy
{
    /// <summary>Block the content (category <see cref="ModerationCategory.ModerationFailed"/>). The safe default.</summary>
    FailClosed,

    /// <summary>Let the content through unmoderated. The failure is still logged and counted.</summary>
    FailOpen,
}
