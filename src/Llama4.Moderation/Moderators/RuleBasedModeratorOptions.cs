using System.Text.RegularExpressions;

namespace Llama4.Moderation;

/// <summary>Options of <see cref="RuleBasedModerator"/>: blocklists and regular-expression rules.</summary>
public sealed class RuleBasedModeratorOptions
{
    /// <summary>Gets the blocklists.</summary>
    public IList<BlocklistRule> Blocklists { get; } = [];

    /// <summary>Gets the regular-expression rules, applied in order (redactions compose).</summary>
    public IList<RegexRule> RegexRules { get; } = [];

    /// <summary>Checks the options (including that every pattern compiles).</summary>
    /// <returns>One message per invalid setting; empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Blocklists.Count == 0 && RegexRules.Count == 0)
        {
            errors.Add("There are no blocklists and no regex rules: add at least one, or do not add the rule-based moderator.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in Blocklists)
        {
            if (rule is null)
            {
                errors.Add("Blocklists contains null.");
                continue;
            }

            CheckName(errors, names, rule.Name, "A blocklist");
            if (rule.Terms.Count == 0 || rule.Terms.Any(string.IsNullOrWhiteSpace))
            {
                errors.Add($"Blocklist '{rule.Name}' needs at least one term and no empty terms.");
            }

            CheckCommon(errors, rule.Name, rule.Category, rule.Sources);
        }

        foreach (var rule in RegexRules)
        {
            if (rule is null)
            {
                errors.Add("RegexRules contains null.");
                continue;
            }

            CheckName(errors, names, rule.Name, "A regex rule");
            if (string.IsNullOrEmpty(rule.Pattern))
            {
                errors.Add($"Regex rule '{rule.Name}' has no pattern.");
            }
            else
            {
                try
                {
                    _ = new Regex(rule.Pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
                }
                catch (ArgumentException ex)
                {
                    errors.Add($"Regex rule '{rule.Name}' has an invalid pattern: {ex.Message}");
                }
            }

            if (rule.Action is not (ModerationAction.Block or ModerationAction.Redact))
            {
                errors.Add($"Regex rule '{rule.Name}' has action {rule.Action}; use Block or Redact.");
            }

            if (rule.Action == ModerationAction.Redact && rule.Replacement is null)
            {
                errors.Add($"Regex rule '{rule.Name}' redacts but has no replacement.");
            }

            CheckCommon(errors, rule.Name, rule.Category, rule.Sources);
        }

        return errors;
    }

    private static void CheckName(List<string> errors, HashSet<string> names, string? name, string what)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            errors.Add($"{what} has no name; the name is what logs and findings report.");
        }
        else if (!names.Add(name))
        {
            errors.Add($"The rule name '{name}' is used twice; names identify rules in logs and findings.");
        }
    }

    private static void CheckCommon(List<string> errors, string name, ModerationCategory category, ISet<ModerationSource> sources)
    {
        if (!Enum.IsDefined(category))
        {
            errors.Add($"Rule '{name}' has the unknown category {category}.");
        }

        if (sources.Count == 0)
        {
            errors.Add($"Rule '{name}' applies to no source; add at least one to Sources.");
        }
    }
}
