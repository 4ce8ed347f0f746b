namespace Llama4.Moderation.Tests.Moderators;

public sealed class RuleBasedModeratorTests
{
    private static RuleBasedModerator Create()
    {
        var options = new RuleBasedModeratorOptions();
        var blocklist = new BlocklistRule { Name = "competitors", Category = ModerationCategory.OffTopic };
        blocklist.Terms.Add("Contoso Cloud");
        blocklist.Terms.Add("fabrikam");
        options.Blocklists.Add(blocklist);
        options.RegexRules.Add(new RegexRule { Name = "ticket", Pattern = @"\bTCK-\d{6}\b", Action = ModerationAction.Redact, Replacement = "[TICKET]" });
        options.RegexRules.Add(new RegexRule { Name = "employee", Pattern = @"\bEMP\d{5}\b", Action = ModerationAction.Redact, Replacement = "[EMPLOYEE]" });
        return new RuleBasedModerator(options);
    }

    [Theory]
    [InlineData("Is Contoso Cloud cheaper?")]
    [InlineData("is ＣＯＮＴＯＳＯ cloud cheaper?")]
    [InlineData("try fab\u200Brikam instead")]
    [InlineData("FABRIKAM!")]
    public async Task ModerateAsync_BlocklistedTermInAnyDisguise_Blocks(string text)
    {
        var verdict = await Create().ModerateAsync(new ModerationRequest(text, ModerationSource.User), TestContext.Current.CancellationToken);

        Assert.Equal(ModerationAction.Block, verdict.Action);
        Assert.Equal(new ModerationFinding(ModerationCategory.OffTopic, 1, "competitors"), Assert.Single(verdict.Findings));
    }

    [Fact]
    public async Task ModerateAsync_TermInsideAnotherWord_Allows()
    {
        var verdict = await Create().ModerateAsync(new ModerationRequest("the prefabrikamated part", ModerationSource.User), TestContext.Current.CancellationToken);

        Assert.Equal(ModerationAction.Allow, verdict.Action);
    }

    [Fact]
    public async Task ModerateAsync_TwoRedactingRules_ComposeInOrder()
    {
        var verdict = await Create().ModerateAsync(new ModerationRequest("TCK-123456 filed by EMP00042 ($5)", ModerationSource.User), TestContext.Current.CancellationToken);

        Assert.Equal(ModerationAction.Redact, verdict.Action);
        Assert.Equal("[TICKET] filed by [EMPLOYEE] ($5)", verdict.RedactedText);
        Assert.Equal(["ticket", "employee"], verdict.Findings.Select(f => f.Label));
    }

    [Fact]
    public void Constructor_InvalidPattern_ThrowsNamingTheRule()
    {
        var options = new RuleBasedModeratorOptions();
        options.RegexRules.Add(new RegexRule { Name = "broken", Pattern = "(unclosed" });

        var error = Assert.Throws<ArgumentException>(() => new RuleBasedModerator(options));

        Assert.Contains("'broken'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_DuplicateNamesAndEmptyBlocklist_ReportsBoth()
    {
        var options = new RuleBasedModeratorOptions();
        options.Blocklists.Add(new BlocklistRule { Name = "same" });
        options.RegexRules.Add(new RegexRule { Name = "same", Pattern = "x" });

        var error = Assert.Throws<ArgumentException>(() => new RuleBasedModerator(options));

        Assert.Contains("needs at least one term", error.Message, StringComparison.Ordinal);
        Assert.Contains("used twice", error.Message, StringComparison.Ordinal);
    }
}
