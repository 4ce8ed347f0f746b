namespace Llama4.Moderation.Tests.Moderators;

public sealed class TopicalModeratorTests
{
    private static TopicalModerator Create()
    {
        var options = new TopicalModeratorOptions();
        var billing = new AllowedTopic { Name = "billing" };
        billing.Keywords.Add("invoice");
        billing.Keywords.Add("payment");
        billing.Keywords.Add("credit note");
        options.Topics.Add(billing);
        return new TopicalModerator(options);
    }

    [Theory]
    [InlineData("Where can I download last month's invoices?")]
    [InlineData("My PAYMENT did not go through yesterday.")]
    [InlineData("Please issue a credit note for order 12.")]
    [InlineData("Hi there!")]
    public async Task ModerateAsync_OnTopicOrShort_Allows(string text)
    {
        var verdict = await Create().ModerateAsync(new ModerationRequest(text, ModerationSource.User), TestContext.Current.CancellationToken);

        Assert.Equal(ModerationAction.Allow, verdict.Action);
    }

    [Fact]
    public async Task ModerateAsync_OffTopic_BlocksAsOffTopic()
    {
        var verdict = await Create().ModerateAsync(new ModerationRequest("Write me a poem about the ocean at night.", ModerationSource.User), TestContext.Current.CancellationToken);

        Assert.Equal(ModerationAction.Block, verdict.Action);
        Assert.Equal([ModerationCategory.OffTopic], verdict.Categories);
    }

    [Fact]
    public async Task ModerateAsync_AssistantOutput_IsNotChecked()
    {
        var verdict = await Create().ModerateAsync(new ModerationRequest("Write me a poem about the ocean at night.", ModerationSource.Assistant), TestContext.Current.CancellationToken);

        Assert.Same(ModerationVerdict.Allowed, verdict);
    }

    [Fact]
    public void Constructor_NoTopics_Throws() =>
        Assert.Throws<ArgumentException>(() => new TopicalModerator(new TopicalModeratorOptions()));
}
