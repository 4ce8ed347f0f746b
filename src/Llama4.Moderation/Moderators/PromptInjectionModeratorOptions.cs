namespace Llama4.Moderation;

/// <summary>Options of <see cref="PromptInjectionModerator"/>.</summary>
public sealed class PromptInjectionModeratorOptions
{
    /// <summary>
    /// Gets or sets the score (0 to 1) at or above which text is blocked. Each heuristic that matches adds evidence
    /// (score = 1 - product of (1 - weight)); one strong signal (an instruction override, a forged special token) or two
    /// weaker ones reach the default 0.5. Lower it for stricter checks.
    /// </summary>
    public double Threshold { get; set; } = 0.5;

    /// <summary>Gets the sources checked for direct injection. Default: user messages, tool results and documents.</summary>
    public ISet<ModerationSource> Sources { get; } = new HashSet<ModerationSource> { ModerationSource.User, ModerationSource.ToolResult, ModerationSource.Document };

    /// <summary>
    /// Gets the sources also checked for indirect injection: instructions addressed to the AI, hidden text and
    /// exfiltration links, which are normal in what a user writes but not in data. Default: tool results and documents.
    /// </summary>
    public ISet<ModerationSource> IndirectSources { get; } = new HashSet<ModerationSource> { ModerationSource.ToolResult, ModerationSource.Document };

    /// <summary>Checks the options.</summary>
    /// <returns>One message per invalid setting; empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (double.IsNaN(Threshold) || Threshold is <= 0 or > 1)
        {
            errors.Add($"Threshold must be greater than 0 and at most 1 (was {Threshold}).");
        }

        if (Sources.Count == 0)
        {
            errors.Add("Sources is empty: the moderator would check nothing.");
        }

        errors.AddRange(Sources.Concat(IndirectSources).Where(s => !Enum.IsDefined(s)).Distinct().Select(s => $"Unknown moderation source {s}."));
        errors.AddRange(IndirectSources.Where(s => Enum.IsDefined(s) && !Sources.Contains(s)).Select(s => $"IndirectSources contains {s}, which is not in Sources; add it to Sources too."));
        return errors;
    }
}
