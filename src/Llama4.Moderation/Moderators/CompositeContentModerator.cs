namespace Llama4.Moderation;

/// <summary>
/// Runs several moderators in order on the same text. The first block wins (later moderators do not run);
/// redactions compose: each moderator sees the text as redacted by the ones before it, so for example a Llama Guard
/// moderator placed after the PII moderator never sees the personal data.
/// </summary>
public sealed class CompositeContentModerator : IContentModerator
{
    private readonly IContentModerator[] _moderators;

    /// <summary>Creates a composite.</summary>
    /// <param name="moderators">The moderators, in the order they run.</param>
    /// <exception cref="ArgumentException"><paramref name="moderators"/> is empty or contains <see langword="null"/>.</exception>
    public CompositeContentModerator(IEnumerable<IContentModerator> moderators)
    {
        ArgumentNullException.ThrowIfNull(moderators);
        _moderators = [.. moderators];
        if (_moderators.Length == 0)
        {
            throw new ArgumentException("A composite moderator needs at least one moderator.", nameof(moderators));
        }

        if (_moderators.Any(m => m is null))
        {
            throw new ArgumentException("The moderators must not contain null.", nameof(moderators));
        }
    }

    /// <summary>Creates a composite.</summary>
    /// <param name="moderators">The moderators, in the order they run.</param>
    public CompositeContentModerator(params IContentModerator[] moderators)
        : this((IEnumerable<IContentModerator>)moderators)
    {
    }

    /// <summary>Gets the moderators in the order they run.</summary>
    public IReadOnlyList<IContentModerator> Moderators => _moderators;

    /// <inheritdoc />
    public async ValueTask<ModerationVerdict> ModerateAsync(ModerationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var current = request;
        // Findings of redactions travel with a later block; informational findings of allows only with an overall allow.
        var redactions = new List<ModerationFinding>();
        var informational = new List<ModerationFinding>();
        foreach (var moderator in _moderators)
        {
            var verdict = await moderator.ModerateAsync(current, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The moderator {moderator.GetType().Name} returned no verdict.");
            switch (verdict.Action)
            {
                case ModerationAction.Block:
                    return ModerationVerdict.Block([.. redactions, .. verdict.Findings]);
                case ModerationAction.Redact:
                    redactions.AddRange(verdict.Findings);
                    current = current with { Text = verdict.RedactedText! };
                    break;
                default:
                    informational.AddRange(verdict.Findings);
                    break;
            }
        }

        return redactions.Count > 0 ? ModerationVerdict.Redact(current.Text, redactions) : ModerationVerdict.Allow(informational);
    }
}
