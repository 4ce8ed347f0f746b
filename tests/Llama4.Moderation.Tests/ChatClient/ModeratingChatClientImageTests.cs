using Llama4.Moderation.Tests.TestDoubles;
using Microsoft.Extensions.AI;

namespace Llama4.Moderation.Tests.ChatClient;

/// <summary>Images in messages reach the moderator with their message's text, so an image-capable moderator can judge them.</summary>
public sealed class ModeratingChatClientImageTests
{
    private static readonly DataContent Picture = new(new byte[] { 0x89, 0x50, 0x4E, 0x47, 1, 2, 3 }, "image/png");

    private static DelegateModerator BlockingImages() => new((request, _) => ValueTask.FromResult(request.Images.Count > 0
        ? ModerationVerdict.Block([new ModerationFinding(ModerationCategory.Custom, 1, "image-rule")])
        : ModerationVerdict.Allowed));

    [Fact]
    public async Task GetResponseAsync_TextWithImage_ModeratorGetsTheImageAndModelGetsItUnchanged()
    {
        var moderator = new DelegateModerator((_, _) => ValueTask.FromResult(ModerationVerdict.Allowed));
        var model = ScriptedChatClient.Replying("A cat.");
        using var client = new ModeratingChatClient(model, new ModerationGuard(moderator, new ModerationOptions()));

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, [new TextContent("What is this?"), Picture])], cancellationToken: TestContext.Current.CancellationToken);

        var input = Assert.Single(moderator.Requests, r => r.Source == ModerationSource.User);
        Assert.Equal("What is this?", input.Text);
        Assert.Same(Picture, Assert.Single(input.Images));
        Assert.Same(Picture, Assert.Single(model.Requests).Single().Contents[1]);
    }

    [Fact]
    public async Task GetResponseAsync_BlockedImageOnlyLatestMessage_ReturnsContentFilterWithoutCallingTheModel()
    {
        var model = ScriptedChatClient.Replying("unused");
        using var client = new ModeratingChatClient(model, new ModerationGuard(BlockingImages(), new ModerationOptions()));

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, [Picture])], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Empty(model.Requests);
        Assert.Equal(ChatFinishReason.ContentFilter, response.FinishReason);
    }

    [Fact]
    public async Task GetResponseAsync_BlockedImageInEarlierTurn_IsWithheldFromTheModel()
    {
        var model = ScriptedChatClient.Replying("Fine.");
        var options = new ModerationOptions();
        using var client = new ModeratingChatClient(model, new ModerationGuard(BlockingImages(), options));
        ChatMessage[] messages =
        [
            new(ChatRole.User, [Picture, new TextContent("Look.")]),
            new(ChatRole.Assistant, "Looked."),
            new(ChatRole.User, "And now?"),
        ];

        await client.GetResponseAsync(messages, cancellationToken: TestContext.Current.CancellationToken);

        var sent = Assert.Single(model.Requests);
        Assert.DoesNotContain(sent[0].Contents, c => c is DataContent);
        Assert.Equal(options.WithheldMessageText, sent[0].Text);
        Assert.Same(Picture, messages[0].Contents[0]);
    }

    [Fact]
    public async Task GetResponseAsync_SameTextWithOtherImage_IsNotAnsweredFromTheVerdictCache()
    {
        var moderator = new DelegateModerator((_, _) => ValueTask.FromResult(ModerationVerdict.Allowed));
        using var client = new ModeratingChatClient(ScriptedChatClient.Replying("ok"), new ModerationGuard(moderator, new ModerationOptions()));
        var other = new DataContent(new byte[] { 0x89, 0x50, 0x4E, 0x47, 9 }, "image/png");

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, [new TextContent("Same words."), Picture])], cancellationToken: TestContext.Current.CancellationToken);
        await client.GetResponseAsync([new ChatMessage(ChatRole.User, [new TextContent("Same words."), other])], cancellationToken: TestContext.Current.CancellationToken);

        var inputs = moderator.Requests.Where(r => r.Source == ModerationSource.User).ToList();
        Assert.Equal(2, inputs.Count);
        Assert.Same(other, Assert.Single(inputs[1].Images));
    }
}
