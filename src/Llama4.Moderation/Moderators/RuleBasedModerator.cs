using System.Text.RegularExpressions;
using Llama4.Moderation.Internal;

namespace Llama4.Moderation;

/// <summary>
/// Application rules: blocklists (whole-word terms, matched on normalised text so that case, full-width letters and
/// hidden zero-width characters do not evade them) and regular expressions that block or redact. Blocklists run
/// first; regex rules then run in order on the original text, each on the text redacted by the ones before.
/// </summary>
public sealed class RuleBasedModerator : IContentModerator
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    private readonly (BlocklistRule Rule, Regex Pattern)[] _blocklists;
    private readonly (RegexRule Rule, Regex Pattern)[] _regexRules;

    /// <summary>Creates a moderator.</summary>
    /// <param name="options">The rules.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message names each problem.</exception>
    public RuleBasedModerator(RuleBasedModeratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid rule-based moderator options: " + string.Join(" ", errors), nameof(options));
        }

        _blocklists = [.. options.Blocklists.Select(rule => (rule, BlocklistPattern(rule.Terms)))];
        _regexRules = [.. options.RegexRules.Select(rule => (rule, new Regex(
            rule.Pattern,
            RegexOptions.CultureInvariant | (rule.IgnoreCase ? RegexOptions.IgnoreCase : RegexOptions.None),
            MatchTimeout)))];
    }

    /// <inheritdoc />
    public ValueTask<ModerationVerdict> ModerateAsync(ModerationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var applicable = _blocklists.Where(b => b.Rule.Sources.Contains(request.Source)).ToList();
        if (applicable.Count > 0)
        {
            var normalized = TextNormalizer.Normalize(request.Text).Text;
            var hits = applicable.Where(b => b.Pattern.IsMatch(normalized)).Select(b => new ModerationFinding(b.Rule.Category, 1, b.Rule.Name)).ToList();
            if (hits.Count > 0)
            {
                return ValueTask.FromResult(ModerationVerdict.Block(hits));
            }
        }

        var text = request.Text;
        var redactions = new List<ModerationFinding>();
        foreach (var (rule, pattern) in _regexRules)
        {
            if (!rule.Sources.Contains(request.Source) || !pattern.IsMatch(text))
            {
                continue;
            }

            var finding = new ModerationFinding(rule.Category, 1, rule.Name);
            if (rule.Action == ModerationAction.Block)
            {
                return ValueTask.FromResult(ModerationVerdict.Block([.. redactions, finding]));
            }

            text = pattern.Replace(text, rule.Replacement.Replace("$", "$$", StringComparison.Ordinal));
            redactions.Add(finding);
        }

        return ValueTask.FromResult(redactions.Count > 0 ? ModerationVerdict.Redact(text, redactions) : ModerationVerdict.Allowed);
    }

    // Terms are normalised like the text; a word boundary is required only where the term itself starts or ends with a
    // letter or digit. NonBacktracking keeps matching linear in the text length whatever the terms are.
    private static Regex BlocklistPattern(IEnumerable<string> terms)
    {
        var alternatives = terms
            .Select(t => TextNormalizer.Normalize(t).Text)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(t => t.Length)
            .Select(t => (char.IsLetterOrDigit(t[0]) ? @"\b" : string.Empty) + Regex.Escape(t).Replace(@"\ ", " ", StringComparison.Ordinal) + (char.IsLetterOrDigit(t[^1]) ? @"\b" : string.Empty));
        return new Regex(string.Join('|', alternatives), RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, MatchTimeout);
    }
}
