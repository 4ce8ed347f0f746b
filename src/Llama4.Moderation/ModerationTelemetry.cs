namespace Llama4.Moderation;

/// <summary>
/// Names of the moderation meter, its instruments and tags (stable: dashboards and the hosting package rely on them).
/// Tags carry categories and sources only, never content.
/// </summary>
public static class ModerationTelemetry
{
    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> name.</summary>
    public const string MeterName = "Llama4.Moderation";

    /// <summary>Counter of moderation checks (unit <c>{check}</c>), tagged with <see cref="SourceTag"/> and <see cref="ActionTag"/>.</summary>
    public const string ChecksInstrument = "llama4.moderation.checks";

    /// <summary>
    /// Counter of flagged categories (unit <c>{finding}</c>): one per distinct category of each redacting or blocking
    /// verdict, tagged with <see cref="SourceTag"/>, <see cref="ActionTag"/> and <see cref="CategoryTag"/>.
    /// </summary>
    public const string FindingsInstrument = "llama4.moderation.findings";

    /// <summary>Histogram of check durations (unit <c>s</c>), tagged with <see cref="SourceTag"/> and <see cref="ActionTag"/>.</summary>
    public const string DurationInstrument = "llama4.moderation.duration";

    /// <summary>
    /// Counter of moderator failures (unit <c>{failure}</c>), tagged with <see cref="SourceTag"/>,
    /// <see cref="ErrorTypeTag"/> (<c>timeout</c> or the exception's type name) and <see cref="PolicyTag"/>.
    /// </summary>
    public const string FailuresInstrument = "llama4.moderation.failures";

    /// <summary>Tag: the <see cref="ModerationSource"/> in snake case (<c>user</c>, <c>assistant</c>, <c>tool_arguments</c>, <c>tool_result</c>, <c>document</c>).</summary>
    public const string SourceTag = "llama4.moderation.source";

    /// <summary>Tag: the <see cref="ModerationAction"/> in lower case (<c>allow</c>, <c>redact</c>, <c>block</c>).</summary>
    public const string ActionTag = "llama4.moderation.action";

    /// <summary>Tag: the <see cref="ModerationCategory"/> in snake case (<c>pii</c>, <c>prompt_injection</c>, <c>violent_crimes</c>...).</summary>
    public const string CategoryTag = "llama4.moderation.category";

    /// <summary>Tag: <c>fail_closed</c> or <c>fail_open</c>.</summary>
    public const string PolicyTag = "llama4.moderation.failure_policy";

    /// <summary>Tag: the OpenTelemetry <c>error.type</c> of a failure.</summary>
    public const string ErrorTypeTag = "error.type";
}
