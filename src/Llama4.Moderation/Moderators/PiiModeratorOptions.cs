namespace Llama4.Moderation;

/// <summary>Options of <see cref="PiiModerator"/>.</summary>
public sealed class PiiModeratorOptions
{
    /// <summary>Gets the kinds to detect. Default: all.</summary>
    public ISet<PiiKind> Kinds { get; } = new HashSet<PiiKind>(Enum.GetValues<PiiKind>());

    /// <summary>
    /// Gets the kinds that block the text instead of being redacted (for example <see cref="PiiKind.Secret"/> in
    /// assistant output, or <see cref="PiiKind.PaymentCard"/> anywhere under PCI rules). Default: none.
    /// </summary>
    public ISet<PiiKind> BlockKinds { get; } = new HashSet<PiiKind>();

    /// <summary>Gets the sources the moderator checks. Default: all.</summary>
    public ISet<ModerationSource> Sources { get; } = new HashSet<ModerationSource>(Enum.GetValues<ModerationSource>());

    /// <summary>Checks the options.</summary>
    /// <returns>One message per invalid setting; empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Kinds.Count == 0)
        {
            errors.Add("Kinds is empty: the PII moderator would find nothing. Add the kinds to detect, or do not add the moderator.");
        }

        errors.AddRange(Kinds.Concat(BlockKinds).Where(k => !Enum.IsDefined(k)).Select(k => $"Unknown PII kind {k}."));
        errors.AddRange(BlockKinds.Where(k => Enum.IsDefined(k) && !Kinds.Contains(k)).Select(k => $"BlockKinds contains {k}, which is not in Kinds; add it to Kinds too."));
        errors.AddRange(Sources.Where(s => !Enum.IsDefined(s)).Select(s => $"Unknown moderation source {s}."));
        return errors;
    }
}
