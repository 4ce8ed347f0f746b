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
    private const int WideContextWindow = 48;
    private const string CardExpiryLabel = "CardExpiry";
    private const string CardSecurityCodeLabel = "CardSecurityCode";

    /// <summary>
    /// Finds every match of the given kinds, without overlaps, in text order. The patterns read the folded form of the
    /// text (<see cref="FoldedText"/>: digits of any script as ASCII, compatibility forms, no invisible characters);
    /// the matches are spans of the original text.
    /// </summary>
    public static List<PiiMatch> Find(string original, ISet<PiiKind> kinds)
    {
        var folded = FoldedText.Create(original);
        var text = folded.Text;
        var candidates = new List<PiiMatch>();
        if (kinds.Contains(PiiKind.Secret))
        {
            FindSecrets(text, candidates);
            FindPasswords(text, candidates);
        }

        if (kinds.Contains(PiiKind.EmailAddress))
        {
            AddAll(text, EmailPattern(), PiiKind.EmailAddress, candidates);
            FindObfuscatedEmails(text, candidates);
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

        if (kinds.Contains(PiiKind.StreetAddress))
        {
            FindStreetAddresses(text, candidates);
        }

        return [.. RemoveOverlaps(candidates).Select(folded.ToOriginal)];
    }

    /// <summary>Gets the placeholder a match is redacted with: its kind's, or the card detail's.</summary>
    public static string Placeholder(PiiMatch match) => match switch
    {
        { Kind: PiiKind.EmailAddress } => "[EMAIL]",
        { Kind: PiiKind.PhoneNumber } => "[PHONE]",
        { Kind: PiiKind.PaymentCard, Label: CardExpiryLabel } => "[CARD_EXPIRY]",
        { Kind: PiiKind.PaymentCard, Label: CardSecurityCodeLabel } => "[CARD_CVV]",
        { Kind: PiiKind.PaymentCard } => "[PAYMENT_CARD]",
        { Kind: PiiKind.Iban } => "[IBAN]",
        { Kind: PiiKind.UsSocialSecurityNumber } => "[US_SSN]",
        { Kind: PiiKind.IPAddress } => "[IP_ADDRESS]",
        { Kind: PiiKind.StreetAddress } => "[ADDRESS]",
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
        var cards = new List<PiiMatch>();
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
                cards.Add(new PiiMatch(PiiKind.PaymentCard, match.Index, match.Length, network));
            }
        }

        FindCardsInWords(text, cards);
        into.AddRange(cards);
        FindCardDetails(text, cards, into);
    }

    // Digits in one run, in groups of 3 to 6 split by one kind of separator (4-4-4-4, 4-6-5, 4-6-4...), or one by one
    // with one kind of separator ("4 1 1 1 ...": a card read out or typed to dodge a filter).
    private static bool ConsistentGroups(ReadOnlySpan<char> span, out int count, Span<char> digits)
    {
        count = 0;
        var separator = '\0';
        var group = 0;
        var groups = 0;
        var singles = false;
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

            if (separator != '\0' && c != separator)
            {
                return false;
            }

            // The first group decides the style: all single digits, or groups of 3 to 6.
            if (groups == 0)
            {
                singles = group == 1;
            }
            else if (singles != (group == 1))
            {
                return false;
            }

            if (!singles && group is < 3 or > 6)
            {
                return false;
            }

            groups++;
            separator = c;
            group = 0;
        }

        return separator == '\0' || (singles ? group == 1 : group is >= 1 and <= 6);
    }

    // A card read out in words, alone or mixed with digit groups: "four one one one one one ...", "four double one ...".
    private static void FindCardsInWords(string text, List<PiiMatch> into)
    {
        Span<char> digits = stackalloc char[19];
        foreach (var match in CardWordsPattern().EnumerateMatches(text))
        {
            // Shorter than 15 characters, a run cannot hold 12 digits with a word among them ("oh 111111 11111").
            if (match.Length < 15)
            {
                continue;
            }

            var count = 0;
            var repeat = 1;
            var words = 0;
            var valid = true;
            foreach (var range in CardWordSeparatorPattern().EnumerateSplits(text.AsSpan(match.Index, match.Length)))
            {
                var token = text.AsSpan(match.Index + range.Start.Value, range.End.Value - range.Start.Value);
                if (token.IsEmpty)
                {
                    continue;
                }

                if (token.Equals("double", StringComparison.OrdinalIgnoreCase) || token.Equals("triple", StringComparison.OrdinalIgnoreCase))
                {
                    repeat = char.ToLowerInvariant(token[0]) == 'd' ? 2 : 3;
                    continue;
                }

                ReadOnlySpan<char> value = char.IsAsciiDigit(token[0]) ? token : [DigitOfWord(token)];
                words += char.IsAsciiDigit(token[0]) ? 0 : 1;
                for (var r = 0; r < repeat && valid; r++)
                {
                    foreach (var c in value)
                    {
                        if (count == digits.Length)
                        {
                            valid = false;
                            break;
                        }

                        digits[count++] = c;
                    }
                }

                repeat = 1;
            }

            // A longer run of numbers is something else (a list, a reading of a serial): not a card.
            if (valid && words > 0 && count >= 12 && PaymentCards.Network(digits[..count]) is { } network)
            {
                into.Add(new PiiMatch(PiiKind.PaymentCard, match.Index, match.Length, network));
            }
        }
    }

    private static char DigitOfWord(ReadOnlySpan<char> word)
    {
        Span<char> lower = stackalloc char[word.Length];
        word.ToLowerInvariant(lower);
        return lower switch
        {
            "zero" or "oh" => '0',
            "one" => '1',
            "two" => '2',
            "three" => '3',
            "four" => '4',
            "five" => '5',
            "six" => '6',
            "seven" => '7',
            "eight" => '8',
            _ => '9',
        };
    }

    // The security code and expiry date of a card. A CVV/CVC keyword always marks the code; weaker words ("security
    // code", "3-digit code") only when a card number, an expiry or "card" is near. An expiry date counts when the text
    // also holds a card number or a security code (alone, "my card expires 12/27" is not card data). A date and a
    // code written right after a card number ("4111 ... 1111 12/27 123") count too.
    private static void FindCardDetails(string text, List<PiiMatch> cards, List<PiiMatch> into)
    {
        var codes = new List<PiiMatch>();
        var expiries = new List<PiiMatch>();
        foreach (var card in cards)
        {
            if (CardTailPattern().Match(text, card.End) is { Success: true } tail)
            {
                var date = tail.Groups["date"];
                expiries.Add(new PiiMatch(PiiKind.PaymentCard, date.Index, date.Length, CardExpiryLabel));
                if (tail.Groups["code"] is { Success: true } code)
                {
                    codes.Add(new PiiMatch(PiiKind.PaymentCard, code.Index, code.Length, CardSecurityCodeLabel));
                }
            }
        }

        // The keyword searches are vectorised and spare the patterns most texts.
        var expiryMatches = text.AsSpan().ContainsAny(ExpiryKeywords) ? CardExpiryPattern().Matches(text) : null;
        foreach (Match match in expiryMatches ?? (IEnumerable<Match>)[])
        {
            var date = match.Groups["date"];
            expiries.Add(new PiiMatch(PiiKind.PaymentCard, date.Index, date.Length, CardExpiryLabel));
        }

        var weakCodes = new List<PiiMatch>();
        var codeMatches = text.AsSpan().ContainsAny(SecurityCodeKeywords) ? CardSecurityCodePattern().Matches(text) : null;
        foreach (Match match in codeMatches ?? (IEnumerable<Match>)[])
        {
            var code = match.Groups["code"];
            var found = new PiiMatch(PiiKind.PaymentCard, code.Index, code.Length, CardSecurityCodeLabel);
            if (match.Groups["strong"].Success)
            {
                codes.Add(found);
            }
            else if (CardContextPattern().IsMatch(Before(text, match.Index, WideContextWindow)))
            {
                codes.Add(found);
            }
            else
            {
                weakCodes.Add(found);
            }
        }

        if (cards.Count > 0 || expiries.Count > 0 || codes.Count > 0)
        {
            codes.AddRange(weakCodes);
        }

        into.AddRange(codes);
        if (cards.Count > 0 || codes.Count > 0)
        {
            into.AddRange(expiries);
        }
    }

    // "ada [at] example [dot] com", "ada(at)example(dot)com", "ada @ example . com", "ada at example dot com". The
    // bracketed and spaced-@ forms are deliberate obfuscation; the plain-word form ("at", "dot") also reads like prose
    // ("meet us at example dot com"), so it needs an e-mail word shortly before, or a local part with a digit, dot,
    // underscore or plus; with the word "dot" or a spaced full stop the top-level domain must be a common one.
    private static void FindObfuscatedEmails(string text, List<PiiMatch> into)
    {
        foreach (Match match in ObfuscatedEmailPattern().Matches(text))
        {
            var plainWords = match.Groups["plainAt"].Success;
            if (!plainWords && !match.Groups["bracket"].Success && !match.Groups["spacedAt"].Success)
            {
                continue;
            }

            // The word "dot" or a spaced full stop also occurs in prose ("at 9am dot not later", "at home. Then"):
            // then the top-level domain must be a common one.
            var proseLike = plainWords || match.Groups["wordDot"].Success;
            if (proseLike && !CommonTopLevelDomainPattern().IsMatch(match.Groups["tld"].ValueSpan))
            {
                continue;
            }

            if (plainWords)
            {
                var local = match.Groups["local"].ValueSpan;
                var localLooksLikeAddress = local.IndexOfAny(".+_") >= 0 || local.ContainsAnyInRange('0', '9');
                if (!localLooksLikeAddress && !EmailContextPattern().IsMatch(Before(text, match.Index, WideContextWindow)))
                {
                    continue;
                }
            }

            into.Add(new PiiMatch(PiiKind.EmailAddress, match.Index, match.Length, nameof(PiiKind.EmailAddress)));
        }
    }

    // "my password is hunter2", "pwd: s3cret", "passcode 4821", "PIN is 0420". Only the value is redacted. After ':' or
    // '=' (or in quotes) any value of 4+ characters that is not a placeholder counts; after "is"/"was" or a bare space
    // the value must look like a password (a digit or a symbol, inner capitals, or 12+ characters), so "my password is
    // incorrect" is left alone. A PIN is 4 to 8 digits.
    private static void FindPasswords(string text, List<PiiMatch> into)
    {
        if (!text.AsSpan().ContainsAny(PasswordKeywords))
        {
            return;
        }

        foreach (Match match in PasswordPattern().Matches(text))
        {
            var group = match.Groups["value"];
            var value = group.ValueSpan.TrimEnd(".,;:!?)]}");
            if (value.IsEmpty || PlaceholderPattern().IsMatch(value) || PasswordFillerPattern().IsMatch(value))
            {
                continue;
            }

            var isPin = match.Groups["pin"].Success;
            var explicitValue = match.Groups["explicit"].Success || match.Groups["quote"].Success;
            var accepted = isPin
                ? value.Length is >= 4 and <= 8 && !value.ContainsAnyExceptInRange('0', '9')
                : explicitValue ? value.Length >= 4 : LooksLikePassword(value);
            if (accepted)
            {
                into.Add(new PiiMatch(PiiKind.Secret, group.Index, value.Length, isPin ? "Pin" : "Password"));
            }
        }
    }

    private static bool LooksLikePassword(ReadOnlySpan<char> value) =>
        value.Length >= 4
        && (value.ContainsAnyInRange('0', '9')
            || value.ContainsAnyExcept(AlphaNumeric)
            || value[1..].ContainsAnyInRange('A', 'Z')
            || value.Length >= 12);

    // A house number, one to four capitalised name words (or an ordinal: "5th") and a street suffix: "221B Baker
    // Street", "1600 Pennsylvania Ave NW", "10 Downing St". In lower case only after an address word ("I live at",
    // "ship to", "address"). A year before a street name ("in 2008 Wall Street ...") is not an address.
    private static void FindStreetAddresses(string text, List<PiiMatch> into)
    {
        foreach (Match match in StreetAddressPattern().Matches(text))
        {
            if (!IsYearBeforeStreet(text, match))
            {
                into.Add(new PiiMatch(PiiKind.StreetAddress, match.Index, match.Length, nameof(PiiKind.StreetAddress)));
            }
        }

        if (!text.AsSpan().ContainsAny(AddressKeywords))
        {
            return;
        }

        foreach (Match match in LowerCaseStreetAddressPattern().Matches(text))
        {
            // "5 minutes down the road", "3 blocks along the street": distances, not addresses.
            if (AddressContextPattern().IsMatch(Before(text, match.Index, WideContextWindow))
                && !DistanceWordsPattern().IsMatch(match.Value)
                && !IsYearBeforeStreet(text, match))
            {
                into.Add(new PiiMatch(PiiKind.StreetAddress, match.Index, match.Length, nameof(PiiKind.StreetAddress)));
            }
        }
    }

    private static bool IsYearBeforeStreet(string text, Match match)
    {
        var number = match.Groups["number"].ValueSpan;
        return number.Length == 4
            && int.TryParse(number, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var year)
            && year is >= 1800 and <= 2099
            && YearContextPattern().IsMatch(Before(text, match.Index, ContextWindow));
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

    private static readonly System.Buffers.SearchValues<string> ExpiryKeywords =
        System.Buffers.SearchValues.Create(["exp", "valid", "good"], StringComparison.OrdinalIgnoreCase);

    private static readonly System.Buffers.SearchValues<string> SecurityCodeKeywords =
        System.Buffers.SearchValues.Create(["cv", "cav2", "cid", "code"], StringComparison.OrdinalIgnoreCase);

    private static readonly System.Buffers.SearchValues<string> PasswordKeywords =
        System.Buffers.SearchValues.Create(["pass", "pwd", "pin"], StringComparison.OrdinalIgnoreCase);

    private static readonly System.Buffers.SearchValues<string> AddressKeywords = System.Buffers.SearchValues.Create(
        ["live", "resid", "addr", "ship", "deliver", "send", "sent", "mail", "billing", "located", "moved"],
        StringComparison.OrdinalIgnoreCase);

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

    // Maximal runs of digit words and digit groups (the loop is unbounded, so a run is never split; the engine is
    // linear-time): the caller counts the tokens and digits.
    [GeneratedRegex(@"(?i)\b(?:(?:double|triple)[\s\-]{1,3})?(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|\d{1,6})(?:[\s,\-]{1,3}(?:(?:double|triple)[\s\-]{1,3})?(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|\d{1,6}))*\b", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, RegexTimeoutMilliseconds)]
    private static partial Regex CardWordsPattern();

    [GeneratedRegex(@"[\s,\-]+", RegexOptions.CultureInvariant, RegexTimeoutMilliseconds)]
    private static partial Regex CardWordSeparatorPattern();

    [GeneratedRegex(@"\G[\s,;|/]{1,4}(?<date>(?:0[1-9]|1[0-2])\s?[/\-]\s?(?:20\d{2}|\d{2}))(?![\d/\-])(?:[\s,;|/]{1,4}(?<code>\d{3,4})(?!\d))?", RegexOptions.CultureInvariant, RegexTimeoutMilliseconds)]
    private static partial Regex CardTailPattern();

    [GeneratedRegex(@"(?i)\b(?:exp(?:iry|ires|ired|iring|iration)?(?:[ _\-]?date)?|valid[ _\-](?:thru|through|until|till|to)|good[ _\-](?:thru|through))\b\.?[""']?\s{0,3}(?:(?:is|was|on|of|in|at|[:=#\-])\s{0,3}){0,3}[""']?(?<date>(?:0?[1-9]|1[0-2])\s{0,2}[/\-.]\s{0,2}(?:20\d{2}|\d{2})|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]{0,6}\.?\s{0,2}(?:20\d{2}|'?\d{2}))\b", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, RegexTimeoutMilliseconds)]
    private static partial Regex CardExpiryPattern();

    [GeneratedRegex(@"(?i)\b(?:(?<strong>cvv2?|cvc2?|cvn|cav2|cid\s+code|card\s+security\s+code|card\s+verification\s+(?:value|code|number))|security\s+code|(?:3|4|three|four)[\s\-]digit\s+(?:security\s+)?code|code\s+on\s+the\s+back)\b(?:\s{1,3}on\s{1,3}(?:the|my|your)\s{1,3}(?:back|card)(?:\s{1,3}of\s{1,3}(?:the|my|your)\s{1,3}card)?)?[""']?\s{0,3}(?:(?:is|was|number|no|of|[:=#\-])\s{0,3}){0,3}[""']?(?<code>\d{3,4})\b", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, RegexTimeoutMilliseconds)]
    private static partial Regex CardSecurityCodePattern();

    [GeneratedRegex(@"(?i)\b(?:card|visa|mastercard|amex|credit|debit|cvv|cvc)\b", RegexOptions.CultureInvariant, RegexTimeoutMilliseconds)]
    private static partial Regex CardContextPattern();

    [GeneratedRegex(@"(?i)\b(?<local>[a-z0-9][a-z0-9._%+\-]{0,63})(?:(?<bracket>\s{0,3}[\[\(\{<]\s{0,2}at\s{0,2}[\]\)\}>]\s{0,3})|(?<spacedAt>\s{1,3}@\s{0,3}|@\s{1,3})|(?<plainAt>\s{1,3}at\s{1,3}))(?<domain>(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?(?:\s{0,3}[\[\(\{<]\s{0,2}(?:dot|\.)\s{0,2}[\]\)\}>]\s{0,3}|(?<wordDot>\s{1,3}dot\s{1,3}|\s{1,3}\.\s{0,3}|\.\s{1,3})|\.)){1,4})(?<tld>[a-z]{2,24})\b", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, RegexTimeoutMilliseconds)]
    private static partial Regex ObfuscatedEmailPattern();

    [GeneratedRegex(@"(?i)^(?:com|net|org|edu|gov|mil|int|info|biz|io|co|me|app|dev|ai|eu|uk|us|ca|au|de|fr|es|it|nl|be|ch|at|se|no|dk|fi|pl|pt|ie|cz|ru|jp|cn|in|br|mx|nz|za)$", RegexOptions.CultureInvariant, RegexTimeoutMilliseconds)]
    private static partial Regex CommonTopLevelDomainPattern();

    [GeneratedRegex(@"(?i)\b(?:e-?mail(?:s|ed)?|mail|address|inbox|contact|reach|write|send|gmail|outlook|hotmail|yahoo)\b", RegexOptions.CultureInvariant, RegexTimeoutMilliseconds)]
    private static partial Regex EmailContextPattern();

    [GeneratedRegex(@"(?i)\b(?:password|passwd|pwd|pass[ \-]?code|pass[ \-]?phrase|(?<pin>pin)(?:[ \-](?:code|number))?)\b[""']?(?:\s{1,3}(?:for|on|of|to|at)\s{1,3}(?:(?:the|my|your|this|our)\s{1,3})?[\w.\-]{1,40})?(?:(?<explicit>\s{0,3}(?:[:=]|->|=>)\s{0,3})|\s{1,3}(?:is|was|will\s+be|should\s+be|=)\s{1,3}(?::\s{0,3})?|'s\s{1,3}|\s{1,3})(?<quote>[""'`])?(?<value>[^\s""'`]{1,128})", RegexOptions.CultureInvariant, RegexTimeoutMilliseconds)]
    private static partial Regex PasswordPattern();

    [GeneratedRegex(@"(?i)^(?:is|was|and|or|for|to|the|a|an|reset|required|incorrect|wrong|invalid|expired|changed|change|forgotten|forgot|manager|field|protected|policy|hint|length)$", RegexOptions.CultureInvariant, RegexTimeoutMilliseconds)]
    private static partial Regex PasswordFillerPattern();

    [GeneratedRegex(@"\b(?<number>\d{1,6}[A-Za-z]?(?:[\-/]\d{1,4}[A-Za-z]?)?)\s{1,3}(?:(?:[A-Z][A-Za-z'\-]{0,30}|\d{1,3}(?:st|nd|rd|th))\s{1,3}){1,4}(?i:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|square|sq|terrace|way|parkway|pkwy|highway|hwy|circle|cir|loop|trail|crescent|close|row|alley|plaza|walk|gardens|mews|grove|parade)\b\.?(?:\s{1,2}(?:N|S|E|W|NE|NW|SE|SW)\b)?", RegexOptions.CultureInvariant, RegexTimeoutMilliseconds)]
    private static partial Regex StreetAddressPattern();

    [GeneratedRegex(@"(?i)\b(?<number>\d{1,6}[a-z]?(?:[\-/]\d{1,4}[a-z]?)?)\s{1,3}(?:(?:[a-z][a-z'\-]{0,30}|\d{1,3}(?:st|nd|rd|th))\s{1,3}){1,4}(?:street|avenue|ave|road|boulevard|blvd|lane|drive|court|place|square|terrace|way|parkway|highway|circle|crescent|close|plaza|gardens|mews|grove|parade)\b\.?(?:\s{1,2}(?:n|s|e|w|ne|nw|se|sw)\b)?", RegexOptions.CultureInvariant, RegexTimeoutMilliseconds)]
    private static partial Regex LowerCaseStreetAddressPattern();

    [GeneratedRegex(@"(?i)\b(?:live|living|lives|reside|residence|address|addr|ship(?:ped|ping)?|deliver(?:y|ed)?|send|sent|mail(?:ing)?|billing|located|moved)\b[^\n]{0,40}$", RegexOptions.CultureInvariant, RegexTimeoutMilliseconds)]
    private static partial Regex AddressContextPattern();

    [GeneratedRegex(@"(?i)\s(?:the|a|an|of|down|up|along|across|around|past|from|to|on|in|at|my|your|our|this|that|minutes?|mins?|blocks?|miles?|km|kilometers?|meters?|metres?|yards?|steps?|houses?|doors?)\s", RegexOptions.CultureInvariant, RegexTimeoutMilliseconds)]
    private static partial Regex DistanceWordsPattern();

    [GeneratedRegex(@"(?i)\b(?:in|since|by|from|until|till|during|before|after|year|around|circa|of)\s*$", RegexOptions.CultureInvariant, RegexTimeoutMilliseconds)]
    private static partial Regex YearContextPattern();
}
