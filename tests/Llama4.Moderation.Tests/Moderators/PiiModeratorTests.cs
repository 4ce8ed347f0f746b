using Llama4.Moderation.Internal.Pii;

namespace Llama4.Moderation.Tests.Moderators;

public sealed class PiiModeratorTests
{
    [Theory]
    [InlineData("Mail jane.doe@example.com today.", "Mail [EMAIL] today.")]
    [InlineData("Call +1 (415) 555-0132 or 020 7946 0958.", "Call [PHONE] or [PHONE].")]
    [InlineData("Card 4111 1111 1111 1111 exp 12/27", "Card [PAYMENT_CARD] exp [CARD_EXPIRY]")]
    [InlineData("IBAN DE89 3704 0044 0532 0130 00.", "IBAN [IBAN].")]
    [InlineData("SSN 536-22-1234", "SSN [US_SSN]")]
    [InlineData("host 10.0.0.1 and 2001:db8::1", "host [IP_ADDRESS] and [IP_ADDRESS]")]
    [InlineData("api_key=9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c", "api_key=[SECRET]")]
    [InlineData("postgres://app:Sx7kP2qL9mZ@db.internal:5432/prod", "postgres://app:[SECRET]@db.internal:5432/prod")]
    public async Task ModerateAsync_TextWithPii_RedactsWithTypedPlaceholders(string text, string expected)
    {
        var verdict = await new PiiModerator().ModerateAsync(new ModerationRequest(text, ModerationSource.User), TestContext.Current.CancellationToken);

        Assert.Equal(ModerationAction.Redact, verdict.Action);
        Assert.Equal(expected, verdict.RedactedText);
        Assert.All(verdict.Findings, f => Assert.Equal(ModerationCategory.Pii, f.Category));
    }

    [Fact]
    public async Task ModerateAsync_SecretFormat_LabelsTheFormatNotTheValue()
    {
        var verdict = await new PiiModerator().ModerateAsync(new ModerationRequest("key AKIAIOSFODNN7EXAMPLE", ModerationSource.User), TestContext.Current.CancellationToken);

        var finding = Assert.Single(verdict.Findings);
        Assert.Equal("AwsAccessKey", finding.Label);
        Assert.DoesNotContain("AKIA", finding.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModerateAsync_KindInBlockKinds_Blocks()
    {
        var options = new PiiModeratorOptions();
        options.BlockKinds.Add(PiiKind.PaymentCard);

        var verdict = await new PiiModerator(options).ModerateAsync(new ModerationRequest("Pay with 5555555555554444 and mail a@example.com", ModerationSource.User), TestContext.Current.CancellationToken);

        Assert.Equal(ModerationAction.Block, verdict.Action);
        Assert.Null(verdict.RedactedText);
    }

    [Fact]
    public async Task ModerateAsync_SourceNotConfigured_Allows()
    {
        var options = new PiiModeratorOptions();
        options.Sources.Remove(ModerationSource.Assistant);

        var verdict = await new PiiModerator(options).ModerateAsync(new ModerationRequest("a@example.com", ModerationSource.Assistant), TestContext.Current.CancellationToken);

        Assert.Same(ModerationVerdict.Allowed, verdict);
    }

    [Fact]
    public async Task ModerateAsync_KindNotConfigured_LeavesItAlone()
    {
        var options = new PiiModeratorOptions();
        options.Kinds.Remove(PiiKind.IPAddress);

        var verdict = await new PiiModerator(options).ModerateAsync(new ModerationRequest("mail a@example.com from 10.0.0.1", ModerationSource.User), TestContext.Current.CancellationToken);

        Assert.Equal("mail [EMAIL] from 10.0.0.1", verdict.RedactedText);
    }

    [Fact]
    public void Constructor_BlockKindNotDetected_ThrowsNamingTheKind()
    {
        var options = new PiiModeratorOptions();
        options.Kinds.Remove(PiiKind.Iban);
        options.BlockKinds.Add(PiiKind.Iban);

        var error = Assert.Throws<ArgumentException>(() => new PiiModerator(options));

        Assert.Contains("Iban", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("4111111111111111", true)]
    [InlineData("4111111111111112", false)]
    [InlineData("378282246310005", true)]
    [InlineData("79927398713", true)]
    public void Luhn_KnownNumbers_Validates(string digits, bool valid) => Assert.Equal(valid, PaymentCards.Luhn(digits));

    [Theory]
    [InlineData("4111111111111111", "Visa")]
    [InlineData("2223003122003222", "Mastercard")]
    [InlineData("6011111111111117", "Discover")]
    [InlineData("9999999999999995", null)]
    [InlineData("411111111111111", null)]
    public void Network_IssuerPrefixAndLength_IdentifiesOrRejects(string digits, string? network) => Assert.Equal(network, PaymentCards.Network(digits));

    [Theory]
    [InlineData("GB29NWBK60161331926819", true)]
    [InlineData("GB29NWBK60161331926818", false)]
    [InlineData("GB29NWBK6016133192681", false)]
    [InlineData("XX29NWBK60161331926819", false)]
    [InlineData("NO9386011117947", true)]
    public void IbanIsValid_ChecksumAndCountryLength_Validates(string iban, bool valid) => Assert.Equal(valid, Ibans.IsValid(iban));

    [Fact]
    public void Find_PrivateKeyWithoutEndLine_CoversTheRestOfTheText()
    {
        var text = "here: -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC";

        var match = Assert.Single(new PiiModerator().Find(text));

        Assert.Equal(text.Length, match.End);
    }

    [Theory]
    [InlineData("CVV 123, expiry 12/27", "CVV [CARD_CVV], expiry [CARD_EXPIRY]")]
    [InlineData("cvc: 4321 exp 09/2026", "cvc: [CARD_CVV] exp [CARD_EXPIRY]")]
    [InlineData("the 3-digit code on my card is 837, valid thru 11/28", "the 3-digit code on my card is [CARD_CVV], valid thru [CARD_EXPIRY]")]
    [InlineData("{\"pan\":\"6011111111111117\",\"exp\":\"09/26\",\"cvv\":\"552\"}", "{\"pan\":\"[PAYMENT_CARD]\",\"exp\":\"[CARD_EXPIRY]\",\"cvv\":\"[CARD_CVV]\"}")]
    [InlineData("Card 4111 1111 1111 1111 12/27 123 please", "Card [PAYMENT_CARD] [CARD_EXPIRY] [CARD_CVV] please")]
    public async Task ModerateAsync_CardSecurityCodeAndExpiry_Redacted(string text, string expected) =>
        Assert.Equal(expected, await RedactAsync(text));

    [Theory]
    [InlineData("Card \uFF14\uFF11\uFF11\uFF11 \uFF11\uFF11\uFF11\uFF11 \uFF11\uFF11\uFF11\uFF11 \uFF11\uFF11\uFF11\uFF11 please", "Card [PAYMENT_CARD] please")]
    [InlineData("\uFF14\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11", "[PAYMENT_CARD]")]
    [InlineData("card \u0664\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661.", "card [PAYMENT_CARD].")]
    [InlineData("4111\u200B1111\u200B1111\u200B1111 ok", "[PAYMENT_CARD] ok")]
    [InlineData("4111\u00A01111\u00A01111\u00A01111", "[PAYMENT_CARD]")]
    [InlineData("my card is 4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 thanks", "my card is [PAYMENT_CARD] thanks")]
    [InlineData("4-2-4-2-4-2-4-2-4-2-4-2-4-2-4-2", "[PAYMENT_CARD]")]
    [InlineData("it is four one one one one one one one one one one one one one one one.", "it is [PAYMENT_CARD].")]
    [InlineData("Four, double one, one, 1111 1111 1111", "[PAYMENT_CARD]")]
    [InlineData("five five five five, five five five five, five five five five, four four four four", "[PAYMENT_CARD]")]
    public async Task ModerateAsync_CardInOtherDigitsSpacedOrWords_Redacted(string text, string expected) =>
        Assert.Equal(expected, await RedactAsync(text));

    [Theory]
    [InlineData("ada [at] example [dot] com", "[EMAIL]")]
    [InlineData("write to ada(at)example(dot)org today", "write to [EMAIL] today")]
    [InlineData("my email is ada at example dot com", "my email is [EMAIL]")]
    [InlineData("ada.lovelace at example dot co dot uk", "[EMAIL]")]
    [InlineData("reach me: ada @ example.com", "reach me: [EMAIL]")]
    [InlineData("ada {at} mail {dot} example {dot} net", "[EMAIL]")]
    [InlineData("\uFF41\uFF44\uFF41\uFF20\uFF45\uFF58\uFF41\uFF4D\uFF50\uFF4C\uFF45\uFF0E\uFF43\uFF4F\uFF4D", "[EMAIL]")]
    public async Task ModerateAsync_ObfuscatedEmail_Redacted(string text, string expected) =>
        Assert.Equal(expected, await RedactAsync(text));

    [Theory]
    [InlineData("my password is hunter2", "my password is [SECRET]")]
    [InlineData("pwd: s3cret!", "pwd: [SECRET]!")]
    [InlineData("Password = letmein", "Password = [SECRET]")]
    [InlineData("the passcode is 4821.", "the passcode is [SECRET].")]
    [InlineData("my PIN is 0420", "my PIN is [SECRET]")]
    [InlineData("my password for gmail is Tr0ub4dor", "my password for gmail is [SECRET]")]
    [InlineData("my password is 'sunshine'", "my password is '[SECRET]'")]
    [InlineData("my password is correcthorsebatterystaple", "my password is [SECRET]")]
    public async Task ModerateAsync_PasswordInWords_RedactsTheValue(string text, string expected) =>
        Assert.Equal(expected, await RedactAsync(text));

    [Theory]
    [InlineData("I live at 221B Baker Street, London", "I live at [ADDRESS], London")]
    [InlineData("Ship to 1600 Pennsylvania Ave NW, Washington", "Ship to [ADDRESS], Washington")]
    [InlineData("10 Downing St is the address", "[ADDRESS] is the address")]
    [InlineData("Deliver it to 350 5th Avenue please", "Deliver it to [ADDRESS] please")]
    [InlineData("please send it to 742 evergreen terrace, springfield", "please send it to [ADDRESS], springfield")]
    public async Task ModerateAsync_StreetAddress_Redacted(string text, string expected) =>
        Assert.Equal(expected, await RedactAsync(text));

    [Theory]
    [InlineData("My password is incorrect, please reset it.")]
    [InlineData("The password reset link expired yesterday.")]
    [InlineData("Use a password manager for your accounts.")]
    [InlineData("Password: ******** (hidden)")]
    [InlineData("Meet us at example dot com for more details.")]
    [InlineData("We are at home. Then we go out.")]
    [InlineData("The security code on the door is 4821.")]
    [InlineData("My card expires 12/27, will the subscription renew?")]
    [InlineData("Order 1001 arrived on 12/27 with 3 items.")]
    [InlineData("In 2008 Wall Street crashed.")]
    [InlineData("My address? It is 5 minutes down the road.")]
    [InlineData("We walked 3 blocks along the street.")]
    [InlineData("I counted one two three four five six seven eight nine ten.")]
    [InlineData("Press one, then two, then three to reach billing.")]
    [InlineData("Check pin 2 on the connector.")]
    [InlineData("Pin it to the top of the channel.")]
    [InlineData("The 3 Musketeers was a good read.")]
    [InlineData("Chapter 3 explains the main idea.")]
    [InlineData("Call me at 5 o'clock about order 1002.")]
    [InlineData("Tickets 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 are sold.")]
    [InlineData("Your order ships in 3 to 5 business days from our warehouse.")]
    public async Task ModerateAsync_OrdinarySentence_NotFlagged(string text)
    {
        var verdict = await new PiiModerator().ModerateAsync(new ModerationRequest(text, ModerationSource.User), TestContext.Current.CancellationToken);

        Assert.Same(ModerationVerdict.Allowed, verdict);
    }

    [Fact]
    public void Find_LongHostileRuns_FinishesAndFlagsOnlyWhatIsThere()
    {
        // Long inputs aimed at the new patterns (each pattern is linear-time or bounded, with a 2-second match timeout
        // that would throw): runs of number words and spaced digits far longer than a card, "at"/"dot" chains,
        // repeated password keywords, a long run of full-width digits; and one real address at the end of a long line.
        var moderator = new PiiModerator();

        Assert.Empty(moderator.Find(string.Concat(Enumerable.Repeat("one ", 20_000))));
        Assert.Empty(moderator.Find(string.Concat(Enumerable.Repeat("4 ", 20_000))));
        Assert.Empty(moderator.Find(string.Concat(Enumerable.Repeat("a at b dot ", 10_000))));
        Assert.Empty(moderator.Find(string.Concat(Enumerable.Repeat("password is ", 10_000))));
        Assert.Empty(moderator.Find(new string('\uFF14', 50_000)));
        var address = Assert.Single(moderator.Find(string.Concat(Enumerable.Repeat("12 Main ", 10_000)) + "Street"));
        Assert.Equal(PiiKind.StreetAddress, address.Kind);
    }

    private static async Task<string?> RedactAsync(string text)
    {
        var verdict = await new PiiModerator().ModerateAsync(new ModerationRequest(text, ModerationSource.User), TestContext.Current.CancellationToken);
        return verdict.RedactedText;
    }
}
