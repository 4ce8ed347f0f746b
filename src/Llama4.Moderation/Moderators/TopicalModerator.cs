using System.Text.RegularExpressions;
using Llama4.Moderation.Internal;

namespace Llama4.Moderation;

/// <summary>
/// A topical allow-list: a message of at least <see cref="TopicalModeratorOptions.MinimumWords"/> words that mentions
/// none of the allowed topics' keywords is blocked as <see cref="ModerationCategory.OffTopic"/>. Lexical and offline;
/// for semantic topicality implement <see cref="IContentModerator"/> over an embedding model.
/// </summary>
public sealed partial class TopicalModerator : IContentModerator
{
    private readonly Regex _keywords;
    private readonly int _minimumWords;
    private readonly HashSet<ModerationSource> _sources;

    /// <summary>Creates a moderator.</summary>
    /// <param name="options">The topics.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message names each problem.</exception>
    public TopicalModerator(TopicalModeratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid topical moderator options: " + string.Join(" ", errors), nameof(options));
        }

        var alternatives = options.Topics
            .SelectMany(t => t.Keywords)
            .Select(k => TextNormalizer.Normalize(k).Text)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(k => k.Length)
            .Select(k => Regex.Escape(k).Replace(@"\ ", " ", StringComparison.Ordinal));
        _keywords = new Regex(@"\b(?:" + string.Join('|', alternatives) + ")", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, TimeSpan.FromSeconds(1));
        _minimumWords = options.MinimumWords;
        _sources = [.. options.Sources];
    }

    /// <inheritdoc />
    public ValueTask<ModerationVerdict> ModerateAsync(ModerationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_sources.Contains(request.Source))
        {
            return ValueTask.FromResult(ModerationVerdict.Allowed);
        }

        var normalized = TextNormalizer.Normalize(request.Text).Text;
        if (Words().Count(normalized) < _minimumWords || _keywords.IsMatch(normalized))
        {
            return ValueTask.FromResult(ModerationVerdict.Allowed);
        }

        return ValueTask.FromResult(ModerationVerdict.Block([new ModerationFinding(ModerationCategory.OffTopic, 1)]));
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:['’][\p{L}]+)?", RegexOptions.CultureInvariant)]
    private static partial Regex Words();
}
