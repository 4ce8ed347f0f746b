using System.Text;
using Llama4.Moderation.Internal.Pii;

namespace Llama4.Moderation;

/// <summary>
/// Finds personal data and secrets offline and replaces each with a typed placeholder (<c>[EMAIL]</c>, <c>[PHONE]</c>,
/// <c>[PAYMENT_CARD]</c>, <c>[CARD_CVV]</c>, <c>[CARD_EXPIRY]</c>, <c>[IBAN]</c>, <c>[US_SSN]</c>, <c>[IP_ADDRESS]</c>,
/// <c>[SECRET]</c>, <c>[ADDRESS]</c>), or blocks the text for the kinds in <see cref="PiiModeratorOptions.BlockKinds"/>.
/// The text is read with digits of every script folded to ASCII and compatibility forms (full-width letters and signs)
/// folded, without invisible characters. Matches are validated (Luhn and issuer ranges for cards, per-country length
/// and mod-97 for IBANs, SSA rules for SSNs, octet ranges and version-number context for IPv4), so near misses are left
/// alone. Category <see cref="ModerationCategory.Pii"/>; the finding label is the kind
/// or the secret's format (<c>AwsAccessKey</c>, <c>Jwt</c>...).
/// </summary>
public sealed class PiiModerator : IContentModerator
{
    private readonly HashSet<PiiKind> _kinds;
    private readonly HashSet<PiiKind> _blockKinds;
    private readonly HashSet<ModerationSource> _sources;

    /// <summary>Creates a moderator.</summary>
    /// <param name="options">The options; <see langword="null"/> detects every kind in every source and redacts them all.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message names each problem.</exception>
    public PiiModerator(PiiModeratorOptions? options = null)
    {
        options ??= new PiiModeratorOptions();
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid PII moderator options: " + string.Join(" ", errors), nameof(options));
        }

        _kinds = [.. options.Kinds];
        _blockKinds = [.. options.BlockKinds];
        _sources = [.. options.Sources];
    }

    /// <inheritdoc />
    public ValueTask<ModerationVerdict> ModerateAsync(ModerationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_sources.Contains(request.Source) || request.Text.Length == 0)
        {
            return ValueTask.FromResult(ModerationVerdict.Allowed);
        }

        var matches = PiiDetector.Find(request.Text, _kinds);
        if (matches.Count == 0)
        {
            return ValueTask.FromResult(ModerationVerdict.Allowed);
        }

        var findings = matches.Select(m => new ModerationFinding(ModerationCategory.Pii, 1, m.Label)).ToList();
        if (matches.Any(m => _blockKinds.Contains(m.Kind)))
        {
            return ValueTask.FromResult(ModerationVerdict.Block(findings));
        }

        return ValueTask.FromResult(ModerationVerdict.Redact(Redact(request.Text, matches), findings));
    }

    /// <summary>Finds the matches in a text (for tests and the quality corpus).</summary>
    internal IReadOnlyList<PiiMatch> Find(string text) => PiiDetector.Find(text, _kinds);

    private static string Redact(string text, List<PiiMatch> matches)
    {
        var builder = new StringBuilder(text.Length);
        var position = 0;
        foreach (var match in matches)
        {
            builder.Append(text, position, match.Start - position).Append(PiiDetector.Placeholder(match));
            position = match.End;
        }

        return builder.Append(text, position, text.Length - position).ToString();
    }
}
