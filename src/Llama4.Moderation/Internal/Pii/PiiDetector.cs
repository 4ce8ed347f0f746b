using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Llama4.Moderation.Internal.Pii;

/// <summary>
/// Finds personal data and secrets with patterns plus validation (checksums, issuance rules, context words), so that
/// near misses such as an invalid card number, a malformed IBAN or a version number are not flagged.
/// </summary>
internal static partial class PiiDetector
{
    private const int RegexTimeoutMilliseconds = 2000;
    private const int ContextWindow = 32;

    /// <summary>Finds every match of the given kinds, without overlaps, in text order.</summary>
    public static List<PiiMatch> Find(string text, ISet<PiiKind> kinds)
    {
        var candidates = new List<PiiMatch>();
        if (kinds.Contains(PiiKind.Secret))
        {
            FindSecrets(text, candidates);
        }

        if (kinds.Contains(PiiKind.EmailAddress))
        {
            AddAll(text, EmailPattern(), PiiKind.EmailAddress, candidates);
        }

        if (kinds.Contains(PiiKind.Iban))
        {
            FindIbans(text, candidates);
        }

        if (kinds.Contains(PiiKind.PaymentCard))
        {
            FindPaymentCards(text, candidates);
        }

        if (kinds.Contains(PiiKind.UsSocialSecurityNumber))
        {
            FindSsns(text, candidates);
        }

        if (kinds.Contains(PiiKind.IPAddress))
        {
            FindIpAddresses(text, candidates);
        }

        if (kinds.Contains(PiiKind.PhoneNumber))
        {
            FindPhoneNumbers(text, candidates);
        }

        return RemoveOverlaps(candidates);
    }

    /// <summary>Gets the placeholder a kind is redacted with.</summary>
    public static string Placeholder(PiiKind kind) => kind switch
    {
        PiiKind.EmailAddress => "[EMAIL]",
        PiiKind.PhoneNumber => "[PHONE]",
        PiiKind.PaymentCard => "[PAYMENT_CARD]",
        PiiKind.Iban => "[IBAN]",
        PiiKind.UsSocialSecurityNumber => "[US_SSN]",
        PiiKind.IPAddress => "[IP_ADDRESS]",
        _ => "[SECRET]",
    };

    // Earlier candidates win ties: secrets are added first, so a token that contains digits is not also a phone number.
    private static List<PiiMatch> RemoveOverlaps(List<PiiMatch> candidates)
    {
        var ordered = candidates
            .Select((m, i) => (Match: m, Order: i))
            .OrderBy(c => c.Match.Start)
            .ThenByDescending(c => c.Match.Length)
            .ThenBy(c => c.Order)
            .Select(c => c.Match);
        var result = new List<PiiMatch>();
        foreach (var match in ordered)
        {
            // At one start the longest match comes first; anything overlapping a kept match is dropped.
            if (result.Count == 0 || match.Start >= result[^1].End)
            {
                result.Add(match);
            }
        }

        return result;
    }

    private static void AddAll(string text, Regex pattern, PiiKind kind, List<PiiMatch> into, string? label = null)
    {
        foreach (var match in pattern.EnumerateMatches(text))
        {
            into.Add(new PiiMatch(kind, match.Index, match.Length, label ?? kind.ToString()));
        }
    }

    private static void FindSecrets(string text, List<PiiMatch> into)
    {
        AddAll(text, PrivateKeyPattern(), PiiKind.Secret, into, "PrivateKey");
        AddAll(text, AwsAccessKeyPattern(), PiiKind.Secret, into, "AwsAccessKey");
        AddAll(text, GitHubTokenPattern(), PiiKind.Secret, into, "GitHubToken");
        AddAll(text, SlackTokenPattern(), PiiKind.Secret, into, "SlackToken");
        AddAll(text, SlackWebhookPattern(), PiiKind.Secret, into, "SlackWebhook");
        AddAll(text, StripeKeyPattern(), PiiKind.Secret, into, "StripeKey");
        AddAll(text, GoogleApiKeyPattern(), PiiKind.Secret, into, "GoogleApiKey");
        AddAll(text, JwtPattern(), PiiKind.Secret, into, "Jwt");
        foreach (Match match in UrlCredentialsPattern().Matches(text))
        {
            var password = match.Groups["password"];
            into.Add(new PiiMatch(PiiKind.Secret, password.Index, password.Length, "UrlPassword"));
        }

        foreach (Match match in OpenAiKeyPattern().Matches(text))
        {
            if (HasLetterAndDigit(match.ValueSpan))
            {
                into.Add(new PiiMatch(PiiKind.Secret, match.Index, match.Length, "OpenAiKey"));
            }
        }

        foreach (Match match in CredentialAssignmentPattern().Matches(text))
        {
            var value = match.Groups["value"];
            if (LooksLikeSecret(value.ValueSpan))
            {
                into.Add(new PiiMatch(PiiKind.Secret, value.Index, value.Length, "Credential"));
            }
        }
    }

    private static void FindIbans(string text, List<PiiMatch> into)
    {
        Span<char> compact = stackalloc char[34];
        foreach (var start in IbanStartPattern().EnumerateMatches(text))
        {
            var expected = Ibans.LengthOf(text.AsSpan(start.Index, 2));
            if (expected == 0)
            {
                continue;
            }

            // Read exactly the country's number of characters, allowing single spaces between them.
            var count = 0;
            var i = start.Index;
            while (i < text.Length && count < expected)
            {
                var c = text[i];
                if (char.IsAsciiLetterOrDigit(c))
                {
                    compact[count++] = char.ToUpperInvariant(c);
                    i++;
                }
                else if (c == ' ' && count > 0 && i + 1 < text.Length && char.IsAsciiLetterOrDigit(text[i + 1]))
                {
                    i++;
                }
                else
                {
                    break;
                }
            }

            if (count == expected && (i == text.Length || !char.IsAsciiLetterOrDigit(text[i])) && Ibans.IsValid(compact[..count]))
            {
                into.Add(new PiiMatch(PiiKind.Iban, start.Index, i - start.Index, nameof(PiiKind.Iban)));
            }
        }
    }

    private static void FindPaymentCards(string text, List<PiiMatch> into)
    {
        Span<char> digits = stackalloc char[19];
        foreach (var match in CardCandidatePattern().EnumerateMatches(text))
        {
            var span = text.AsSpan(match.Index, match.Length);
            if (!ConsistentGroups(span, out var count, digits))
            {
                continue;
            }

            if (PaymentCards.Network(digits[..count]) is { } network)
            {
                into.Add(new PiiMatch(PiiKind.PaymentCard, match.Index, match.Length, network));
            }
        }
    }

    // Digits in one run, or in groups of 3 to 6 split by one kind of separator (4-4-4-4, 4-6-5, 4-6-4...).
    private static bool ConsistentGroups(ReadOnlySpan<char> span, out int count, Span<char> digits)
    {
        count = 0;
        var separator = '\0';
        var group = 0;
        foreach (var c in span)
        {
            if (char.IsAsciiDigit(c))
            {
                if (count == digits.Length)
                {
                    return false;
                }

                digits[count++] = c;
                group++;
                continue;
            }

            if ((separator != '\0' && c != separator) || group is < 3 or > 6)
            {
                return false;
            }

            separator = c;
            group = 0;
        }

        return separator == '\0' || group is >= 1 and <= 6;
    }

    private static void FindSsns(string text, List<PiiMatch> into)
    {
        foreach (Match match in SsnPattern().Matches(text))
        {
            if (ValidSsn(match.Groups["area"].ValueSpan, match.Groups["group"].ValueSpan, match.Groups["serial"].ValueSpan))
            {
                into.Add(new PiiMatch(PiiKind.UsSocialSecurityNumber, match.Index, match.Length, nameof(PiiKind.UsSocialSecurityNumber)));
            }
        }

        // Nine digits in a row count only after a word that says they are an SSN.
        foreach (var match in NineDigitsPattern().EnumerateMatches(text))
        {
            var value = text.AsSpan(match.Index, match.Length);
            if (SsnContextPattern().IsMatch(Before(text, match.Index, ContextWindow)) && ValidSsn(value[..3], value[3..5], value[5..]))
            {
                into.Add(new PiiMatch(PiiKind.UsSocialSecurityNumber, match.Index, match.Length, nameof(PiiKind.UsSocialSecurityNumber)));
            }
        }
    }

    // SSA rules: area 001-899 except 666, group 01-99, serial 0001-9999; two numbers voided after public misuse.
    private static bool ValidSsn(ReadOnlySpan<char> area, ReadOnlySpan<char> group, ReadOnlySpan<char> serial)
    {
        var a = int.Parse(area, provider: System.Globalization.CultureInfo.InvariantCulture);
        var g = int.Parse(group, provider: System.Globalization.CultureInfo.InvariantCulture);
        var s = int.Parse(serial, provider: System.Globalization.CultureInfo.InvariantCulture);
        if (a is 0 or 666 or >= 900 || g == 0 || s == 0)
        {
            return false;
        }

        return !(a == 78 && g == 5 && s == 1120) && !(a == 219 && g == 9 && s == 9999);
    }

    private static void FindIpAddresses(string text, List<PiiMatch> into)
    {
        foreach (var match in IPv4Pattern().EnumerateMatches(text))
        {
            // "version 1.2.3.4", "build 10.0.19041.1": a dotted quad after a version word is a version number.
            if (!VersionContextPattern().IsMatch(Before(text, match.Index, ContextWindow)))
            {
                into.Add(new PiiMatch(PiiKind.IPAddress, match.Index, match.Length, "IPv4"));
            }
        }

        foreach (var match in IPv6CandidatePattern().EnumerateMatches(text))
        {
            var span = text.AsSpan(match.Index, match.Length);
            if (IsIPv6(span))
            {
                into.Add(new PiiMatch(PiiKind.IPAddress, match.Index, match.Length, "IPv6"));
            }
        }
    }

    // A full eight-group address, or a compressed one ("::") with at least two groups; "::1" alone and C++ scopes are not.
    private static bool IsIPv6(ReadOnlySpan<char> span)
    {
        if (!IPAddress.TryParse(span, out var address) || address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        var groups = 0;
        foreach (var range in span.Split(':'))
        {
            if (range.End.Value > range.Start.Value)
            {
                groups++;
            }
        }

        return span.Contains("::", StringComparison.Ordinal) ? groups >= 2 : groups >= 7;
    }

    private static void FindPhoneNumbers(string text, List<PiiMatch> into)
    {
        foreach (var match in InternationalPhonePattern().EnumerateMatches(text))
        {
            var span = text.AsSpan(match.Index, match.Length);
            // Identifiers do not start with "+": only a "00" prefix needs the identifier-context check.
            if (CountDigits(span) is >= 8 and <= 15 && BalancedParentheses(span) && (span[0] == '+' || !NotPhoneContext(text, match.Index)))
            {
                into.Add(new PiiMatch(PiiKind.PhoneNumber, match.Index, match.Length, nameof(PiiKind.PhoneNumber)));
            }
        }

        foreach (Match match in NorthAmericanPhonePattern().Matches(text))
        {
            if (match.Groups["area"].ValueSpan[0] >= '2' && match.Groups["exchange"].ValueSpan[0] >= '2' && !NotPhoneContext(text, match.Index))
            {
                into.Add(new PiiMatch(PiiKind.PhoneNumber, match.Index, match.Length, nameof(PiiKind.PhoneNumber)));
            }
        }

        foreach (var match in NationalPhonePattern().EnumerateMatches(text))
        {
            var span = text.AsSpan(match.Index, match.Length);
            if (CountDigits(span) is >= 9 and <= 12 && !NotPhoneContext(text, match.Index))
            {
                into.Add(new PiiMatch(PiiKind.PhoneNumber, match.Index, match.Length, nameof(PiiKind.PhoneNumber)));
            }
        }

        // Unformatted digits are a phone number only after a word that says so ("call 4155550132").
        foreach (var match in BareDigitsPattern().EnumerateMatches(text))
        {
            if (PhoneContextPattern().IsMatch(Before(text, match.Index, ContextWindow)))
            {
                into.Add(new PiiMatch(PiiKind.PhoneNumber, match.Index, match.Length, nameof(PiiKind.PhoneNumber)));
            }
        }
    }

    // "Order #415-555-0132", "invoice 020 1234 5678": identifiers that happen to look like phone numbers.
    private static bool NotPhoneContext(string text, int index)
    {
        var before = Before(text, index, ContextWindow);
        return IdentifierContextPattern().IsMatch(before) && !PhoneContextPattern().IsMatch(before);
    }

    private static string Before(string text, int index, int length)
    {
        var start = Math.Max(0, index - length);
        return text[start..index];
    }

    private static int CountDigits(ReadOnlySpan<char> span)
    {
        var count = 0;
        foreach (var c in span)
        {
            if (char.IsAsciiDigit(c))
            {
                count++;
            }
        }

        return count;
    }

    private static bool BalancedParentheses(ReadOnlySpan<char> span) => span.Count('(') == span.Count(')') && span.Count('(') <= 1;

    private static bool HasLetterAndDigit(ReadOnlySpan<char> value) =>
        value.ContainsAnyInRange('0', '9') && (value.ContainsAnyInRange('a', 'z') || value.ContainsAnyInRange('A', 'Z'));

    // A credential value: long, varied and not a placeholder such as YOUR_API_KEY, ${TOKEN}, <secret> or ********.
    private static bool LooksLikeSecret(ReadOnlySpan<char> value)
    {
        if (value.Length < 12 || PlaceholderPattern().IsMatch(value))
        {
            return false;
        }

        var classes = (value.ContainsAnyInRange('a', 'z') ? 1 : 0) + (value.ContainsAnyInRange('A', 'Z') ? 1 : 0)
            + (value.ContainsAnyInRange('0', '9') ? 1 : 0) + (value.ContainsAnyExcept(AlphaNumeric) ? 1 : 0);
        var entropy = ShannonEntropy(value);
        return (classes >= 2 && entropy >= 3.0) || (value.Length >= 20 && entropy >= 3.5);
    }

    private static readonly System.Buffers.SearchValues<char> AlphaNumeric =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");

    private static double ShannonEntropy(ReadOnlySpan<char> value)
    {
        var counts = new Dictionary<char, int>();
        foreach (var c in value)
        {
            counts[c] = counts.GetValueOrDefault(c) + 1;
        }

        var entropy = 0.0;
        foreach (var count in counts.Values)
        {
            var p = (double)count / value.Length;
            entropy -= p * Math.Log2(p);
        }

        return entropy;
    }

    [GeneratedRegex(@"(?<![\w.%+\-']|://[^\s/@:]{1,64}:)[A-Za-z0-9](?:[A-Za-z0-9._%+\-']{0,62}[A-Za-z0-9_%+\-])?@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w\-]|\.[A-Za-z0-9])", RegexOptions.CultureInvariant, RegexTimeoutMilliseconds)]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}(?=[ ]?[A-Za-z0-9])", RegexOptions.CultureInvariant, RegexTimeoutMilliseconds)]
    private static partial Regex IbanStartPattern();

    [GeneratedRegex(@"(?<![\d\-.,/])\d(?:[ \-]?\d){11,18}(?![\d\-]|[.,/]\d)", RegexOptions.CultureInvariant, RegexTimeoutMilliseconds)]
    private static partial Regex CardCandidatePattern();

    [GeneratedRegex(@"(?<![\d\-./])(?<area>\d{3})(?<sep>[\- ])(?<group>\d{2})\k<sep>(?<serial>\d{4})(?![\d\-]|[./]\d)", RegexOptions.CultureInvariant, RegexTimeoutMilliseconds)]
    private static partial Regex SsnPattern();

    [GeneratedRegex(@"(?<![\d\-.])\d{9}(?![\d\-]|\.\d)", RegexOptions.CultureInvariant, RegexTimeoutMilliseconds)]
    private static partial Regex NineDigitsPattern();

    [GeneratedRegex(@"(?i)\b(?:ssn|social\s+security(?:\s+(?:number|no\.?|#))?|ss\s*#|ss\s+no\.?)\s*(?:is|was|:|#|=)?\s*$", RegexOptions.CultureInvariant, RegexTimeoutMilliseconds)]
    private static partial Regex SsnContextPattern();

    [GeneratedRegex(@"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\w]|\.\d)", RegexOptions.CultureInvariant, RegexTimeoutMilliseconds)]
    private static partial Regex IPv4Pattern();

    [GeneratedRegex(@"(?i)\b(?:version|ver\.?|release|build|firmware|fw|sdk|package|nuget|npm|assembly|update|patch|rev(?:ision)?|upgrade[sd]?\s+to|v|section|sec\.|chapter|clause|figure|fig\.|table|step|item|paragraph|para\.?|§|article|art\.|appendix|rule|oid|kernel|linux|windows|ubuntu|debian|android|ios|macos|chrome|firefox|node|python|java|jdk|runtime|driver|bios|os)\s*[:=#]?\s*$", RegexOptions.CultureInvariant, RegexTimeoutMilliseconds)]
    private static partial Regex VersionContextPattern();

    [GeneratedRegex(@"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]{0,4})(?![\w:]|\.\d)", RegexOptions.CultureInvariant, RegexTimeoutMilliseconds)]
    private static partial Regex IPv6CandidatePattern();

    [GeneratedRegex(@"(?<![\w+]|\d[ .\-])(?:\+|\b00)[1-9]\d{0,2}(?:[ .\-]?\(?\d{1,5}\)?){2,6}(?![\w]|[.\-]\d)", RegexOptions.CultureInvariant, RegexTimeoutMilliseconds)]
    private static partial Regex InternationalPhonePattern();

    [GeneratedRegex(@"(?<![\w\-.+(])(?:1[ \-.])?(?:\((?<area>\d{3})\)[ ]?|(?<area>\d{3})(?<sep>[\-. ]))(?<exchange>\d{3})(?(sep)\k<sep>|[\-. ])\d{4}(?![\w]|[\-.]\d)", RegexOptions.CultureInvariant, RegexTimeoutMilliseconds)]
    private static partial Regex NorthAmericanPhonePattern();

    [GeneratedRegex(@"(?<![\w\-.+/])0\d{1,4}(?<sep>[ \-])\d{3,8}(?:\k<sep>\d{2,4}){0,3}(?![\w]|[\-./]\d)|(?<![\w\-.+/])0[1-9](?:(?<sep2>[ .])\d{2})(?:\k<sep2>\d{2}){3}(?![\w]|[\-./]\d)", RegexOptions.CultureInvariant, RegexTimeoutMilliseconds)]
    private static partial Regex NationalPhonePattern();

    [GeneratedRegex(@"(?<![\w\-.+])\+?\d{10,11}(?![\w]|[\-.]\d)", RegexOptions.CultureInvariant, RegexTimeoutMilliseconds)]
    private static partial Regex BareDigitsPattern();

    [GeneratedRegex(@"(?i)\b(?:phone|tel|telephone|mobile|cell|call|caller|fax|whatsapp|sms|text\s+me|ring|contact\s+number)\b[^\n]{0,16}$", RegexOptions.CultureInvariant, RegexTimeoutMilliseconds)]
    private static partial Regex PhoneContextPattern();

    [GeneratedRegex(@"(?i)(?:\b(?:order|invoice|ref|reference|id|account|acct|tracking|ticket|case|po|sku|serial|part|model|isbn|issn|confirmation|booking|transaction|txn)\b|#|\bno\.)[^\n]{0,12}$", RegexOptions.CultureInvariant, RegexTimeoutMilliseconds)]
    private static partial Regex IdentifierContextPattern();

    [GeneratedRegex(@"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|\z)", RegexOptions.CultureInvariant, RegexTimeoutMilliseconds)]
    private static partial Regex PrivateKeyPattern();

    [GeneratedRegex(@"(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}(?![A-Za-z0-9])", RegexOptions.CultureInvariant, RegexTimeoutMilliseconds)]
    private static partial Regex AwsAccessKeyPattern();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,255})(?![A-Za-z0-9_])", RegexOptions.CultureInvariant, RegexTimeoutMilliseconds)]
    private static partial Regex GitHubTokenPattern();

    [GeneratedRegex(@"(?<![A-Za-z0-9_\-])xox[abposr]-[A-Za-z0-9]+(?:-[A-Za-z0-9]+){1,4}(?![A-Za-z0-9_\-])", RegexOptions.CultureInvariant, RegexTimeoutMilliseconds)]
    private static partial Regex SlackTokenPattern();

    [GeneratedRegex(@"https://hooks\.slack\.com/services/T[A-Za-z0-9]+/B[A-Za-z0-9]+/[A-Za-z0-9]+", RegexOptions.CultureInvariant, RegexTimeoutMilliseconds)]
    private static partial Regex SlackWebhookPattern();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])(?:(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,99}|whsec_[A-Za-z0-9]{24,99})(?![A-Za-z0-9_])", RegexOptions.CultureInvariant, RegexTimeoutMilliseconds)]
    private static partial Regex StripeKeyPattern();

    [GeneratedRegex(@"(?<![A-Za-z0-9_\-])AIza[0-9A-Za-z_\-]{35}(?![A-Za-z0-9_\-])", RegexOptions.CultureInvariant, RegexTimeoutMilliseconds)]
    private static partial Regex GoogleApiKeyPattern();

    [GeneratedRegex(@"(?<![A-Za-z0-9_\-])sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{32,200}(?![A-Za-z0-9_\-])", RegexOptions.CultureInvariant, RegexTimeoutMilliseconds)]
    private static partial Regex OpenAiKeyPattern();

    [GeneratedRegex(@"\b[A-Za-z][A-Za-z0-9+.\-]{1,20}://[^\s/:@]{1,64}:(?<password>[^\s/@]{1,128})@[A-Za-z0-9.\-\[\]]+", RegexOptions.CultureInvariant, RegexTimeoutMilliseconds)]
    private static partial Regex UrlCredentialsPattern();

    [GeneratedRegex(@"(?<![A-Za-z0-9_\-])eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}(?![A-Za-z0-9_\-])", RegexOptions.CultureInvariant, RegexTimeoutMilliseconds)]
    private static partial Regex JwtPattern();

    [GeneratedRegex(@"(?i)(?<![A-Za-z0-9])(?:api[_\-]?key|apikey|api[_\-]?secret|secret[_\-]?key|client[_\-]?secret|access[_\-]?key(?:[_\-]?id)?|access[_\-]?token|auth[_\-]?token|refresh[_\-]?token|private[_\-]?key|account[_\-]?key|bearer|token|secret|password|passwd|pwd)[""']?[ \t]*(?:[:=]|=>|:=|[ \t])[ \t]*[""']?(?<value>[^\s""'`,;<>(){}\[\]]{8,})", RegexOptions.CultureInvariant, RegexTimeoutMilliseconds)]
    private static partial Regex CredentialAssignmentPattern();

    [GeneratedRegex(@"(?i)^(?:\$\{?|%|<|\{\{|your|my[_\-]|xxx|\*{3,}|x{4,}|example|changeme|placeholder|redacted|dummy|sample|test[_\-]?key|null|none|undefined|true|false|env\.|process\.env|os\.environ)|^\[[A-Z_]+\]$|(?:here|_here)$", RegexOptions.CultureInvariant, RegexTimeoutMilliseconds)]
    private static partial Regex PlaceholderPattern();
}
