using Llama4.Core;
using Llama4.Testing;
using Microsoft.Extensions.AI;

namespace Llama4.Extensions.AI.Tests.ChatReduction;

public sealed class Llama4ChatTokenCounterTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    public static TheoryData<string> ConversationNames => [.. Conversations.Names];

    [Theory]
    [MemberData(nameof(ConversationNames))]
    public void CountTokens_Messages_EqualsEngineCountOfTheFormattedPrompt(string name)
    {
        var messages = Conversations.Named(name);
        var counter = new Llama4ChatTokenCounter(fixture.Engine);

        var counted = counter.CountTokens(messages);

        Assert.Equal(EngineCount(messages), counted);
    }

    [Theory]
    [MemberData(nameof(ConversationNames))]
    public void CountTokens_EachMessageAtItsPosition_SumsToThePromptMinusOverhead(string name)
    {
        var messages = Conversations.Named(name);
        var counter = new Llama4ChatTokenCounter(fixture.Engine);

        var atStart = true;
        var sum = messages.Sum(m => counter.CountTokens(m, ref atStart));

        Assert.Equal(EngineCount(messages) - counter.PromptOverheadTokens, sum);
    }

    [Fact]
    public void PromptOverheadTokens_IsBosPlusTheAssistantHeader()
    {
        var counter = new Llama4ChatTokenCounter(fixture.Engine);

        Assert.Equal(fixture.Engine.CountTokens(Llama4PromptFormatter.Format([])), counter.PromptOverheadTokens);
        Assert.Equal(counter.PromptOverheadTokens, counter.CountTokens([]));
    }

    [Fact]
    public void CountTokens_LongChatCountedTwice_EqualsEngineCountBothTimes()
    {
        var messages = Enumerable.Range(0, 120).SelectMany(Conversations.Turn).Prepend(new ChatMessage(ChatRole.System, "Be helpful.")).ToList();
        var counter = new Llama4ChatTokenCounter(fixture.Engine);

        var first = counter.CountTokens(messages);
        var second = counter.CountTokens(messages);

        Assert.Equal(EngineCount(messages), first);
        Assert.Equal(first, second);
    }

    [Fact]
    public void CountTokens_TextReplacedAfterCounting_IsRecounted()
    {
        var text = new TextContent("short");
        var message = new ChatMessage(ChatRole.User, [text]);
        var counter = new Llama4ChatTokenCounter(fixture.Engine);
        var before = counter.CountTokens([message]);

        text.Text = "a considerably longer text than before, with many more tokens in it";
        var after = counter.CountTokens([message]);

        Assert.True(after > before);
        Assert.Equal(EngineCount([message]), after);
    }

    [Fact]
    public void CountTokens_ContentAddedAfterCounting_IsRecounted()
    {
        var message = new ChatMessage(ChatRole.Assistant, "Calling.");
        var counter = new Llama4ChatTokenCounter(fixture.Engine);
        var before = counter.CountTokens([message]);

        message.Contents.Add(Conversations.Call("x", "lookup", "more"));
        var after = counter.CountTokens([message]);

        Assert.NotEqual(before, after);
        Assert.Equal(EngineCount([message]), after);
    }

    [Fact]
    public void CountTokens_ImageWithoutProjector_ThrowsNoProjectorLikeTheClient()
    {
        var counter = new Llama4ChatTokenCounter(fixture.Engine);
        ChatMessage[] messages = [new(ChatRole.User, [new DataContent(new byte[] { 1, 2, 3 }, "image/png")])];

        var error = Assert.Throws<Llama4ImageException>(() => counter.CountTokens(messages));
        Assert.Equal(Llama4ImageProblem.NoProjector, error.Problem);
    }

    [Fact]
    public void CountTokens_ApprovalRequestAndResponse_CountNothingAsTheClientSendsNothingForThem()
    {
        var call = Conversations.Call("refund-1", "request_refund", 42);
        var request = new ToolApprovalRequestContent("approval-1", call);
        List<ChatMessage> withApproval =
        [
            new(ChatRole.User, "Refund order 42."),
            new(ChatRole.Assistant, [request]),
            new(ChatRole.User, [request.CreateResponse(approved: true)]),
            new(ChatRole.Assistant, [call]),
            new(ChatRole.Tool, [new FunctionResultContent("refund-1", "refunded")]),
        ];
        List<ChatMessage> withoutApproval = [withApproval[0], withApproval[3], withApproval[4]];
        var counter = new Llama4ChatTokenCounter(fixture.Engine);

        var counted = counter.CountTokens(withApproval);

        Assert.Equal(EngineCount(withoutApproval), counted);
        Assert.Equal(EngineCount(withApproval), counted);
    }

    [Fact]
    public void Constructor_NullEngine_Throws() =>
        Assert.Throws<ArgumentNullException>(() => new Llama4ChatTokenCounter(null!));

    private int EngineCount(IEnumerable<ChatMessage> messages) =>
        fixture.Engine.CountTokens(Llama4PromptFormatter.Format(Llama4ChatMapper.ToLlama4Messages(messages, instructions: null)));
}
