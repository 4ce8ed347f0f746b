namespace Llama4.Moderation;

/// <summary>What a moderator decided about a piece of text.</summary>
public sealed class ModerationVerdict
{
    private ModerationVerdict(ModerationAction action, IReadOnlyList<ModerationFinding> findings, string? redactedText)
    {
        Action = action;
        Findings = findings;
        RedactedText = redactedText;
        Categories = [.. findings.Select(f => f.Category).Distinct()];
    }

    /// <summary>Gets a verdict that allows the text and reports nothing.</summary>
    public static ModerationVerdict Allowed { get; } = new(ModerationAction.Allow, [], null);

    /// <summary>Gets what to do with the text.</summary>
    public ModerationAction Action { get; }

    /// <summary>Gets why: one finding per match or flagged category (informational findings may accompany an allow).</summary>
    public IReadOnlyList<ModerationFinding> Findings { get; }

    /// <summary>Gets the distinct categories of <see cref="Findings"/>, in order of first appearance.</summary>
    public IReadOnlyList<ModerationCategory> Categories { get; }

    /// <summary>Gets the text with the flagged parts replaced, when <see cref="Action"/> is <see cref="ModerationAction.Redact"/>; otherwise <see langword="null"/>.</summary>
    public string? RedactedText { get; }

    /// <summary>Creates a verdict that allows the text, optionally with informational findings (scores below a threshold).</summary>
    /// <param name="findings">Informational findings; none by default.</param>
    /// <returns>The verdict.</returns>
    public static ModerationVerdict Allow(IEnumerable<ModerationFinding>? findings = null)
    {
        var list = ToList(findings);
        return list.Count == 0 ? Allowed : new ModerationVerdict(ModerationAction.Allow, list, null);
    }

    /// <summary>Creates a verdict that replaces the text with a redacted version.</summary>
    /// <param name="redactedText">The text with the flagged parts replaced.</param>
    /// <param name="findings">What was redacted (at least one finding).</param>
    /// <returns>The verdict.</returns>
    /// <exception cref="ArgumentException"><paramref name="findings"/> is empty.</exception>
    public static ModerationVerdict Redact(string redactedText, IEnumerable<ModerationFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(redactedText);
        var list = ToList(findings);
        if (list.Count == 0)
        {
            throw new ArgumentException("A redaction needs at least one finding that says what was redacted.", nameof(findings));
        }

        return new ModerationVerdict(ModerationAction.Redact, list, redactedText);
    }

    /// <summary>Creates a verdict that blocks the text.</summary>
    /// <param name="findings">Why (at least one finding).</param>
    /// <returns>The verdict.</returns>
    /// <exception cref="ArgumentException"><paramref name="findings"/> is empty.</exception>
    public static ModerationVerdict Block(IEnumerable<ModerationFinding> findings)
    {
        var list = ToList(findings);
        if (list.Count == 0)
        {
            throw new ArgumentException("A block needs at least one finding that says why.", nameof(findings));
        }

        return new ModerationVerdict(ModerationAction.Block, list, null);
    }

    /// <inheritdoc />
    public override string ToString() =>
        Categories.Count == 0 ? Action.ToString() : $"{Action} ({string.Join(", ", Categories)})";

    private static List<ModerationFinding> ToList(IEnumerable<ModerationFinding>? findings)
    {
        var list = findings?.ToList() ?? [];
        foreach (var finding in list)
        {
            ArgumentNullException.ThrowIfNull(finding, nameof(findings));
        }

        return list;
    }
}
