using Llama4.Moderation.Internal;

namespace Llama4.Moderation;

/// <summary>
/// Scored heuristics for prompt injection, offline. Direct signals (all checked sources): instruction overrides
/// ("ignore previous instructions"), jailbreak personas and role hijacks, requests for the system prompt, forged chat
/// special tokens (<c>&lt;|eot|&gt;</c>, <c>&lt;|header_start|&gt;</c>, <c>[INST]</c>) and role lines, and smuggled
/// hidden text (Unicode tag characters, zero-width characters). Indirect signals (tool results and documents):
/// instructions addressed to the AI, requests to hide things from the user, hidden HTML, and exfiltration links.
/// Text is matched after normalisation (NFKC, lower case, invisible characters removed, tag characters decoded).
/// Category <see cref="ModerationCategory.PromptInjection"/>; the finding label lists the heuristics that matched.
/// Scores below the threshold come back as an allow with an informational finding.
/// </summary>
public sealed class PromptInjectionModerator : IContentModerator
{
    private readonly double _threshold;
    private readonly HashSet<ModerationSource> _sources;
    private readonly HashSet<ModerationSource> _indirectSources;

    /// <summary>Creates a moderator.</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message names each problem.</exception>
    public PromptInjectionModerator(PromptInjectionModeratorOptions? options = null)
    {
        options ??= new PromptInjectionModeratorOptions();
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid prompt-injection moderator options: " + string.Join(" ", errors), nameof(options));
        }

        _threshold = options.Threshold;
        _sources = [.. options.Sources];
        _indirectSources = [.. options.IndirectSources];
    }

    /// <inheritdoc />
    public ValueTask<ModerationVerdict> ModerateAsync(ModerationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_sources.Contains(request.Source) || request.Text.Length == 0)
        {
            return ValueTask.FromResult(ModerationVerdict.Allowed);
        }

        var (score, matched) = Score(request.Text, _indirectSources.Contains(request.Source));
        if (matched.Count == 0)
        {
            return ValueTask.FromResult(ModerationVerdict.Allowed);
        }

        var finding = new ModerationFinding(ModerationCategory.PromptInjection, Math.Round(score, 4), string.Join('+', matched));
        return ValueTask.FromResult(score >= _threshold ? ModerationVerdict.Block([finding]) : ModerationVerdict.Allow([finding]));
    }

    /// <summary>Scores a text (for tests and the quality corpus).</summary>
    internal static (double Score, List<string> Matched) Score(string text, bool indirect)
    {
        var normalized = TextNormalizer.Normalize(text);
        var matched = new List<string>();
        var keep = 1.0;
        foreach (var heuristic in InjectionHeuristics.All)
        {
            if ((indirect || !heuristic.IndirectOnly) && heuristic.Matches(text, normalized.Text))
            {
                matched.Add(heuristic.Id);
                keep *= 1 - heuristic.Weight;
            }
        }

        foreach (var (id, weight) in InjectionConcepts.Signals(normalized.Text, indirect).Concat(InjectionHeuristics.HiddenText(normalized, indirect)))
        {
            matched.Add(id);
            keep *= 1 - weight;
        }

        return (1 - keep, matched);
    }
}
