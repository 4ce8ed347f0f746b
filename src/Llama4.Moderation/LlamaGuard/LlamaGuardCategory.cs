namespace Llama4.Moderation;

/// <summary>
/// One hazard category of the Llama Guard prompt: its code (<c>S1</c>...), the text the model reads, and the
/// <see cref="ModerationCategory"/> a violation maps to.
/// </summary>
/// <param name="Code">The code the model answers with: <c>S</c> followed by a number (<c>S1</c>-<c>S14</c> are Meta's; use <c>S15</c> and up for custom categories).</param>
/// <param name="Description">The text after <c>"S1: "</c> in the prompt, for example <c>"Violent Crimes."</c>; may span several lines (a name, then what it covers).</param>
/// <param name="Category">What a violation maps to (<see cref="ModerationCategory.Custom"/> for application categories).</param>
public sealed record LlamaGuardCategory(string Code, string Description, ModerationCategory Category)
{
    /// <summary>
    /// Gets Meta's Llama Guard 4 categories S1-S14, in order, as the model card and chat template list them for
    /// text-only conversations. Remove entries to exclude categories: the remaining ones keep their codes, because the
    /// model learned what each code means.
    /// </summary>
    public static IReadOnlyList<LlamaGuardCategory> Defaults { get; } =
    [
        new("S1", "Violent Crimes.", ModerationCategory.ViolentCrimes),
        new("S2", "Non-Violent Crimes.", ModerationCategory.NonViolentCrimes),
        new("S3", "Sex-Related Crimes.", ModerationCategory.SexRelatedCrimes),
        new("S4", "Child Sexual Exploitation.", ModerationCategory.ChildSexualExploitation),
        new("S5", "Defamation.", ModerationCategory.Defamation),
        new("S6", "Specialized Advice.", ModerationCategory.SpecializedAdvice),
        new("S7", "Privacy.", ModerationCategory.Privacy),
        new("S8", "Intellectual Property.", ModerationCategory.IntellectualProperty),
        new("S9", "Indiscriminate Weapons.", ModerationCategory.IndiscriminateWeapons),
        new("S10", "Hate.", ModerationCategory.Hate),
        new("S11", "Suicide & Self-Harm.", ModerationCategory.SuicideAndSelfHarm),
        new("S12", "Sexual Content.", ModerationCategory.SexualContent),
        new("S13", "Elections.", ModerationCategory.Elections),
        new("S14", "Code Interpreter Abuse.", ModerationCategory.CodeInterpreterAbuse),
    ];
}
