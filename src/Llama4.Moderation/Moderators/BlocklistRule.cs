namespace Llama4.Moderation;

/// <summary>
/// Blocks text that contains any of a list of terms, matched as whole words without regard to case, width (NFKC) or
/// invisible characters hidden inside them.
/// </summary>
public sealed class BlocklistRule
{
    /// <summary>Gets or sets the rule's name, reported as the finding label (never the matched term). Required.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Gets the terms (words or phrases).</summary>
    public IList<string> Terms { get; } = [];

    /// <summary>Gets or sets the category of a match. Default <see cref="ModerationCategory.Custom"/>.</summary>
    public ModerationCategory Category { get; set; } = ModerationCategory.Custom;

    /// <summary>Gets the sources the rule applies to. Default: all.</summary>
    public ISet<ModerationSource> Sources { get; } = new HashSet<ModerationSource>(Enum.GetValues<ModerationSource>());
}
