using Llama4.Moderation.Internal.Pii;

namespace Llama4.Moderation.Tests.Moderators;

public sealed class PiiModeratorTests
{
    [Theory]
    [InlineData("Mail jane.doe@example.com today.", "Mail [EMAIL] today.")]
    [InlineData("Call +1 (415) 555-0132 or 020 7946 0958.", "Call [PHONE] or [PHONE].")]
    [InlineData("Card 4111 1111 1111 1111 exp 12/27", "Card [PAYMENT_CARD] exp 12/27")]
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
}
