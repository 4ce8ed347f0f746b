using Llama4.Moderation.Tests.TestDoubles;

namespace Llama4.Moderation.Tests.Moderators;

public sealed class CompositeContentModeratorTests
{
    [Fact]
    public async Task ModerateAsync_FirstBlock_WinsAndLaterModeratorsDoNotRun()
    {
        var blocker = DelegateModerator.BlockingWord("forbidden");
        var later = new DelegateModerator((_, _) => ValueTask.FromResult(ModerationVerdict.Allowed));
        var composite = new CompositeContentModerator(new PiiModerator(), blocker, later);

        var verdict = await composite.ModerateAsync(new ModerationRequest("mail a@example.com the forbidden file", ModerationSource.User), TestContext.Current.CancellationToken);

        Assert.Equal(ModerationAction.Block, verdict.Action);
        Assert.Equal([ModerationCategory.Pii, ModerationCategory.Custom], verdict.Categories);
        Assert.Equal(0, later.Calls);
    }

    [Fact]
    public async Task ModerateAsync_Redactions_ComposeAndLaterModeratorsSeeRedactedText()
    {
        var rules = new RuleBasedModeratorOptions();
        rules.RegexRules.Add(new RegexRule { Name = "project", Pattern = "Project Falcon", Action = ModerationAction.Redact, Replacement = "[PROJECT]" });
        var spy = new DelegateModerator((_, _) => ValueTask.FromResult(ModerationVerdict.Allowed));
        var composite = new CompositeContentModerator(new PiiModerator(), new RuleBasedModerator(rules), spy);

        var verdict = await composite.ModerateAsync(new ModerationRequest("a@example.com leads Project Falcon", ModerationSource.User), TestContext.Current.CancellationToken);

        Assert.Equal("[EMAIL] leads [PROJECT]", verdict.RedactedText);
        Assert.Equal("[EMAIL] leads [PROJECT]", Assert.Single(spy.Requests).Text);
    }

    [Fact]
    public void Constructor_NoModerators_Throws() =>
        Assert.Throws<ArgumentException>(() => new CompositeContentModerator([]));
}
