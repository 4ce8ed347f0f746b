using System.Text.RegularExpressions;
using Llama4.Core;

namespace Llama4.Moderation;

/// <summary>Options of <see cref="LlamaGuardModerator"/>.</summary>
public sealed partial class LlamaGuardModeratorOptions
{
    /// <summary>
    /// Gets the options of the moderator's own engine, used by <see cref="LlamaGuardModerator.LoadAsync"/> (ignored when
    /// an engine is passed in). Set at least <see cref="Llama4EngineOptions.ModelPath"/>. The context defaults to 8192
    /// tokens here, not the engine's 131072: a verdict prompt is the category list plus a few messages, and the KV cache
    /// is sized by the context.
    /// </summary>
    public Llama4EngineOptions Engine { get; } = new() { ContextSize = 8192 };

    /// <summary>Gets the categories the prompt lists. Default: <see cref="LlamaGuardCategory.Defaults"/> (S1-S14).</summary>
    public IList<LlamaGuardCategory> Categories { get; } = [.. LlamaGuardCategory.Defaults];

    /// <summary>
    /// Gets the sources judged. Default: user messages (as <c>User</c>) and assistant replies (as <c>Agent</c>); tool
    /// results and documents, when added, are judged as <c>User</c> content.
    /// </summary>
    public ISet<ModerationSource> Sources { get; } = new HashSet<ModerationSource> { ModerationSource.User, ModerationSource.Assistant };

    /// <summary>Gets or sets how many earlier user and assistant messages the prompt includes as context. Default 4.</summary>
    public int MaxHistoryMessages { get; set; } = 4;

    /// <summary>
    /// Gets or sets the sampling of the verdict. Default greedy (temperature 0), the deterministic decoding classifiers
    /// are evaluated with; the output is grammar-constrained either way.
    /// </summary>
    public Llama4SamplingOptions Sampling { get; set; } = new() { Temperature = 0 };

    /// <summary>Checks the options (not the engine options, which the engine checks when it loads).</summary>
    /// <returns>One message per invalid setting; empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Categories.Count == 0)
        {
            errors.Add("Categories is empty: list at least one category for Llama Guard to judge.");
        }

        var codes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var category in Categories)
        {
            if (category is null)
            {
                errors.Add("Categories contains null.");
                continue;
            }

            if (category.Code is null || !CodePattern().IsMatch(category.Code))
            {
                errors.Add($"The category code '{category.Code}' is invalid: use S followed by a number from 1 to 999 (S1-S14 are Meta's).");
            }
            else if (!codes.Add(category.Code))
            {
                errors.Add($"The category code {category.Code} is listed twice.");
            }

            if (string.IsNullOrWhiteSpace(category.Description))
            {
                errors.Add($"Category {category.Code} has no description; the model reads it to judge.");
            }

            if (!Enum.IsDefined(category.Category))
            {
                errors.Add($"Category {category.Code} maps to the unknown category {category.Category}.");
            }
        }

        if (Sources.Count == 0)
        {
            errors.Add("Sources is empty: the moderator would judge nothing.");
        }

        if (MaxHistoryMessages < 0)
        {
            errors.Add($"MaxHistoryMessages must not be negative (was {MaxHistoryMessages}).");
        }

        if (Sampling is null)
        {
            errors.Add("Sampling must not be null; leave it unset for greedy decoding.");
        }

        return errors;
    }

    [GeneratedRegex("^S[1-9][0-9]{0,2}$", RegexOptions.CultureInvariant)]
    private static partial Regex CodePattern();
}
