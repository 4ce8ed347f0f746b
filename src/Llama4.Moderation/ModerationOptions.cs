namespace Llama4.Moderation;

/// <summary>
/// How moderation is applied on every surface (chat client, Semantic Kernel filters, Agent Framework middleware):
/// what is checked, what happens on failure, and what a blocked reply says.
/// </summary>
public sealed class ModerationOptions
{
    /// <summary>Gets or sets whether user messages (and messages marked with another source) are checked before inference. Default on.</summary>
    public bool CheckInput { get; set; } = true;

    /// <summary>Gets or sets whether assistant replies are checked after inference (in windows while streaming). Default on.</summary>
    public bool CheckOutput { get; set; } = true;

    /// <summary>Gets or sets whether tool-call arguments are checked (and redacted) before the tool runs. Default on.</summary>
    public bool CheckToolArguments { get; set; } = true;

    /// <summary>Gets or sets whether tool results are checked before the model reads them. Default on.</summary>
    public bool CheckToolResults { get; set; } = true;

    /// <summary>Gets or sets what happens when a moderator throws or times out. Default <see cref="ModerationFailurePolicy.FailClosed"/>.</summary>
    public ModerationFailurePolicy FailurePolicy { get; set; } = ModerationFailurePolicy.FailClosed;

    /// <summary>
    /// Gets or sets how long one moderator call may take before it counts as failed, or
    /// <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for no limit. Default 10 seconds.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gets or sets whether a block throws <see cref="ContentModeratedException"/> instead of producing a reply with the
    /// <c>ContentFilter</c> finish reason (or, in filters, a replacement result). Default off.
    /// </summary>
    public bool ThrowOnBlock { get; set; }

    /// <summary>Gets or sets the assistant text of the reply when the input was blocked.</summary>
    public string BlockedInputText { get; set; } = "I can't help with that request: it was blocked by content moderation.";

    /// <summary>Gets or sets the assistant text that replaces a blocked reply (and, with <see cref="StreamingBlockBehavior.Retract"/>, a blocked stream).</summary>
    public string BlockedOutputText { get; set; } = "The response was withheld by content moderation.";

    /// <summary>
    /// Gets or sets the text the model reads instead of an earlier message of the conversation that is blocked now (a
    /// blocked message in the latest turn blocks the request instead).
    /// </summary>
    public string WithheldMessageText { get; set; } = "[This message was withheld by content moderation.]";

    /// <summary>Gets or sets the text the model reads instead of a blocked tool result.</summary>
    public string WithheldToolResultText { get; set; } = "The tool result was withheld by content moderation.";

    /// <summary>
    /// Gets or sets the result reported for a tool call whose arguments were blocked, where the surface reports one
    /// instead of ending the reply (Semantic Kernel filters, Agent Framework function middleware).
    /// </summary>
    public string BlockedToolCallText { get; set; } = "The tool call was blocked by content moderation and did not run.";

    /// <summary>
    /// Gets or sets how many verdicts on conversation messages are remembered, so that a history re-sent with every
    /// request is not moderated again (keyed by a hash of the source and text). 0 turns the cache off. Default 1024.
    /// </summary>
    public int VerdictCacheSize { get; set; } = 1024;

    /// <summary>Gets the streaming settings.</summary>
    public StreamingModerationOptions Streaming { get; private set; } = new();

    /// <summary>Returns a deep copy of these options.</summary>
    /// <returns>The copy.</returns>
    public ModerationOptions Clone()
    {
        var copy = (ModerationOptions)MemberwiseClone();
        copy.Streaming = Streaming.Clone();
        return copy;
    }

    /// <summary>Checks the options.</summary>
    /// <returns>One message per invalid setting, each naming the setting; empty when the options are valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(FailurePolicy))
        {
            errors.Add($"FailurePolicy has the unknown value {FailurePolicy}.");
        }

        if (Timeout <= TimeSpan.Zero && Timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            errors.Add($"Timeout must be positive or Timeout.InfiniteTimeSpan (was {Timeout}).");
        }

        if (VerdictCacheSize < 0)
        {
            errors.Add($"VerdictCacheSize must not be negative (was {VerdictCacheSize}).");
        }

        RequireText(errors, BlockedInputText, nameof(BlockedInputText));
        RequireText(errors, BlockedOutputText, nameof(BlockedOutputText));
        RequireText(errors, WithheldMessageText, nameof(WithheldMessageText));
        RequireText(errors, WithheldToolResultText, nameof(WithheldToolResultText));
        RequireText(errors, BlockedToolCallText, nameof(BlockedToolCallText));
        Streaming.Validate(errors);
        return errors;
    }

    private static void RequireText(List<string> errors, string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"{name} must be a non-empty text (it is what the user or model reads instead of moderated content).");
        }
    }
}
