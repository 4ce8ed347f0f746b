namespace Llama4.Moderation;

/// <summary>A regular expression that blocks the text, or redacts every match, when it matches.</summary>
public sealed class RegexRule
{
    /// <summary>Gets or sets the rule's name, reported as the finding label (never the match). Required.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Gets or sets the .NET regular expression. Required. It runs with a 1-second match timeout; a timeout is a moderator failure.</summary>
    public string Pattern { get; set; } = string.Empty;

    /// <summary>Gets or sets whether the pattern ignores case. Default on.</summary>
    public bool IgnoreCase { get; set; } = true;

    /// <summary>Gets or sets what a match does: <see cref="ModerationAction.Block"/> (default) or <see cref="ModerationAction.Redact"/>.</summary>
    public ModerationAction Action { get; set; } = ModerationAction.Block;

    /// <summary>Gets or sets what each match is replaced with when <see cref="Action"/> is <see cref="ModerationAction.Redact"/>. Default <c>[REDACTED]</c>.</summary>
    public string Replacement { get; set; } = "[REDACTED]";

    /// <summary>Gets or sets the category of a match. Default <see cref="ModerationCategory.Custom"/>.</summary>
    public ModerationCategory Category { get; set; } = ModerationCategory.Custom;

    /// <summary>Gets the sources the rule applies to. Default: all.</summary>
    public ISet<ModerationSource> Sources { get; } = new HashSet<ModerationSource>(Enum.GetValues<ModerationSource>());
}
