namespace Llama4.Moderation;

/// <summary>One reason a moderator flagged text. Findings never contain the text itself.</summary>
/// <param name="Category">The category.</param>
/// <param name="Score">The moderator's confidence, from 0 to 1 (rule matches and Llama Guard verdicts report 1).</param>
/// <param name="Label">
/// A short identifier of what matched, safe to log: a PII kind (<c>Email</c>), a rule name, a heuristic id or a Llama
/// Guard category code (<c>S7</c>); <see langword="null"/> when the category says it all.
/// </param>
public sealed record ModerationFinding(ModerationCategory Category, double Score, string? Label = null);
