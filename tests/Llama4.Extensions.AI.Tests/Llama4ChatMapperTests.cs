using Llama4.Core;
using Llama4.Extensions.AI;
using Microsoft.Extensions.AI;

namespace Llama4.Extensions.AI.Tests;

/// <summary>Pure mapping logic: no engine is needed, so none is used.</summary>
public sealed class Llama4ChatMapperTests
{
    private static readonly IChatClient AnyClient = new NoOpClient();

    [Fact]
    public void ToLlama4Messages_Instructions_BecomeTheFirstSystemTurn()
    {
        var messages = Llama4ChatMapper.ToLlama4Messages([new ChatMessage(ChatRole.User, "hi")], "Be brief.");

        Assert.Equal([new Llama4Message(Llama4Role.System, "Be brief."), new Llama4Message(Llama4Role.User, "hi")], messages);
    }

    [Fact]
    public void ToLlama4Messages_InstructionsAndSystemMessage_MergeInstructionsFirst()
    {
        var messages = Llama4ChatMapper.ToLlama4Messages([new ChatMessage(ChatRole.System, "You are a bot."), new ChatMessage(ChatRole.User, "hi")], "Be brief.");

        Assert.Equal(new Llama4Message(Llama4Role.System, "Be brief.\n\nYou are a bot."), messages[0]);
        Assert.Equal(2, messages.Count);
    }

    [Fact]
    public void ToLlama4Messages_SeveralTextContents_AreConcatenated()
    {
        var messages = Llama4ChatMapper.ToLlama4Messages([new ChatMessage(ChatRole.User, [new TextContent("a"), new TextContent("b"), new UsageContent()])], null);

        Assert.Equal("ab", Assert.Single(messages).Content);
    }

    [Fact]
    public void ToRequest_MapsEveryOptionThatApplies()
    {
        var options = new ChatOptions
        {
            Temperature = 0.3f,
            TopP = 0.8f,
            TopK = 12,
            Seed = 99,
            FrequencyPenalty = 0.1f,
            PresencePenalty = 0.2f,
            MaxOutputTokens = 77,
            StopSequences = ["###"],
            ModelId = "Served",
        };

        var request = Llama4ChatMapper.ToRequest([new ChatMessage(ChatRole.User, "hi")], options, AnyClient, "served");

        Assert.Equal(0.3f, request.Sampling.Temperature);
        Assert.Equal(0.8f, request.Sampling.TopP);
        Assert.Equal(12, request.Sampling.TopK);
        Assert.Equal(99, request.Sampling.Seed);
        Assert.Equal(0.1f, request.Sampling.FrequencyPenalty);
        Assert.Equal(0.2f, request.Sampling.PresencePenalty);
        Assert.Null(request.Sampling.MinP);
        Assert.Equal(77, request.MaxOutputTokens);
        Assert.Equal(["###"], request.StopSequences);
    }

    [Fact]
    public void ToRequest_NoOptions_LeavesEverythingToModelDefaults()
    {
        var request = Llama4ChatMapper.ToRequest([new ChatMessage(ChatRole.User, "hi")], null, AnyClient, "m");

        Assert.Equal(new Llama4SamplingOptions(), request.Sampling);
        Assert.Null(request.MaxOutputTokens);
        Assert.Empty(request.StopSequences);
    }

    [Fact]
    public void ToSampling_RawRepresentation_WinsAndChatOptionsFillTheRest()
    {
        var options = new ChatOptions { Temperature = 0.9f, TopK = 5, RawRepresentationFactory = _ => new Llama4SamplingOptions { Temperature = 0.1f, MinP = 0.05f } };

        var sampling = Llama4ChatMapper.ToSampling(options, AnyClient);

        Assert.Equal(0.1f, sampling.Temperature);
        Assert.Equal(0.05f, sampling.MinP);
        Assert.Equal(5, sampling.TopK);
    }

    [Fact]
    public void ToSampling_ForeignRawRepresentation_IsLeftAlone()
    {
        var options = new ChatOptions { Temperature = 0.9f, RawRepresentationFactory = _ => "another provider's options" };

        Assert.Equal(0.9f, Llama4ChatMapper.ToSampling(options, AnyClient).Temperature);
    }

    [Fact]
    public void ToRequest_ToolsOffered_AreFormattedAndRequestedInAutoMode()
    {
        var options = new ChatOptions { Tools = [AIFunctionFactory.Create((string city) => city, "get_weather", "Gets the weather")] };

        var request = Llama4ChatMapper.ToRequest([new ChatMessage(ChatRole.User, "hi")], options, AnyClient, "m");

        var tools = Assert.IsType<Llama4ToolOptions>(request.Tools);
        Assert.Equal(Llama4ToolMode.Auto, tools.Mode);
        Assert.False(tools.AllowMultipleCalls);
        var tool = Assert.Single(tools.Tools);
        Assert.Equal("get_weather", tool.Name);
        Assert.Equal("Gets the weather", tool.Description);
        Assert.Contains("\"city\"", request.Prompt.ToString(), StringComparison.Ordinal);
        Assert.Contains("Given the following functions", request.Prompt.ToString(), StringComparison.Ordinal);

        // Meta's template writes "Environment: ipython" only into a system turn the caller supplied.
        Assert.DoesNotContain("Environment: ipython", request.Prompt.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ToRequest_RequiredToolMode_MapsModeNameAndMultipleCalls()
    {
        var options = new ChatOptions
        {
            Tools = [AIFunctionFactory.Create(() => 1, "one"), AIFunctionFactory.Create(() => 2, "two")],
            ToolMode = ChatToolMode.RequireSpecific("two"),
            AllowMultipleToolCalls = true,
        };

        var tools = Llama4ChatMapper.ToRequest([new ChatMessage(ChatRole.User, "hi")], options, AnyClient, "m").Tools!;

        Assert.Equal(Llama4ToolMode.Required, tools.Mode);
        Assert.Equal("two", tools.RequiredToolName);
        Assert.True(tools.AllowMultipleCalls);
    }

    [Fact]
    public void ToRequest_RequiredFunctionNotOffered_ThrowsArgument()
    {
        var options = new ChatOptions { Tools = [AIFunctionFactory.Create(() => 1, "one")], ToolMode = ChatToolMode.RequireSpecific("missing") };

        Assert.Throws<ArgumentException>(() => Llama4ChatMapper.ToRequest([new ChatMessage(ChatRole.User, "hi")], options, AnyClient, "m"));
    }

    [Fact]
    public void ToRequest_HostedTool_ThrowsNotSupported()
    {
        var options = new ChatOptions { Tools = [new HostedCodeInterpreterTool()] };

        Assert.Throws<NotSupportedException>(() => Llama4ChatMapper.ToRequest([new ChatMessage(ChatRole.User, "hi")], options, AnyClient, "m"));
    }

    [Fact]
    public void ToRequest_ToolsWithModeNone_AreNotOffered()
    {
        var options = new ChatOptions { Tools = [AIFunctionFactory.Create(() => 1, "one")], ToolMode = ChatToolMode.None };

        var request = Llama4ChatMapper.ToRequest([new ChatMessage(ChatRole.User, "hi")], options, AnyClient, "m");

        Assert.Null(request.Tools);
        Assert.DoesNotContain("ipython", request.Prompt.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ToLlama4Messages_CallsAndResults_MapToAssistantCallsAndIPythonTurns()
    {
        var messages = Llama4ChatMapper.ToLlama4Messages(
            [
                new ChatMessage(ChatRole.User, "weather?"),
                new ChatMessage(ChatRole.Assistant, [new TextContent("Checking."), new FunctionCallContent("c1", "get_weather", new Dictionary<string, object?> { ["city"] = "SF", ["days"] = 2 })]),
                new ChatMessage(ChatRole.Tool, [new FunctionResultContent("c1", "Sunny"), new FunctionResultContent("c2", new { temp = 21 })]),
            ],
            null);

        Assert.Equal(4, messages.Count);
        var call = Assert.Single(messages[1].ToolCalls);
        Assert.Equal("Checking.", messages[1].Content);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("SF", call.Arguments["city"].GetString());
        Assert.Equal(2, call.Arguments["days"].GetInt32());
        Assert.Equal(new Llama4Message(Llama4Role.IPython, "\"Sunny\""), messages[2]);
        Assert.Equal(new Llama4Message(Llama4Role.IPython, "{\"temp\": 21}"), messages[3]);
    }

    [Fact]
    public void ToLlama4Messages_ImagesInUserMessage_BecomeMessageImagesInPlace()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 1], gif = [0x47, 0x49, 0x46, 2];

        var messages = Llama4ChatMapper.ToLlama4Messages(
            [new ChatMessage(ChatRole.User, [new TextContent("Compare "), new DataContent(png, "image/png"), new TextContent("these."), new DataContent(gif, "image/GIF")])],
            null);

        var message = Assert.Single(messages);
        Assert.Equal("Compare these.", message.Content);
        Assert.Equal([new Llama4Image(png), new Llama4Image(gif)], message.Images);
        Assert.Equal([8, 14], message.ImagePositions);
        Assert.Equal("image/png", message.Images[0].MediaType);
    }

    [Theory]
    [InlineData("image/webp", Llama4ImageProblem.UnsupportedFormat)]
    [InlineData("image/svg+xml", Llama4ImageProblem.UnsupportedFormat)]
    public void ToLlama4Messages_UnreadableImageType_ThrowsUnsupportedFormat(string mediaType, Llama4ImageProblem expected)
    {
        var error = Assert.Throws<Llama4ImageException>(() => Llama4ChatMapper.ToLlama4Messages([new ChatMessage(ChatRole.User, [new DataContent(new byte[] { 1 }, mediaType)])], null));

        Assert.Equal(expected, error.Problem);
        Assert.Contains(mediaType, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToLlama4Messages_ImageInAssistantMessage_ThrowsInvalidPlacement()
    {
        var error = Assert.Throws<Llama4ImageException>(() => Llama4ChatMapper.ToLlama4Messages([new ChatMessage(ChatRole.Assistant, [new DataContent(new byte[] { 1 }, "image/png")])], null));

        Assert.Equal(Llama4ImageProblem.InvalidPlacement, error.Problem);
    }

    [Fact]
    public void ToUsage_ImageTokens_AreAnAdditionalCount()
    {
        var usage = Llama4ChatMapper.ToUsage(new Llama4GenerationUsage(30, 10, 5, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero) { ImageTokens = 12 });

        Assert.Equal(30, usage.InputTokenCount);
        Assert.Equal(12, usage.AdditionalCounts![Llama4UsageCounts.ImageInputTokens]);
    }

    [Fact]
    public void ToLlama4Messages_ReasoningAndErrorContent_AreLeftOut()
    {
        var messages = Llama4ChatMapper.ToLlama4Messages(
        [
            new ChatMessage(ChatRole.User, "hi"),
            new ChatMessage(ChatRole.Assistant, [new TextReasoningContent("The user greets me."), new TextContent("Hello."), new ErrorContent("rate limited")]),
            new ChatMessage(ChatRole.Assistant, [new ErrorContent("The previous provider failed.")]),
        ],
            null);

        Assert.Equal(
            [new Llama4Message(Llama4Role.User, "hi"), new Llama4Message(Llama4Role.Assistant, "Hello.")],
            messages);
    }

    [Fact]
    public void ToRequest_ContinuationToken_ThrowsNotSupported()
    {
        var options = new ChatOptions { ContinuationToken = ResponseContinuationToken.FromBytes(new byte[] { 1, 2 }) };

        var error = Assert.Throws<NotSupportedException>(() => Llama4ChatMapper.ToRequest([new ChatMessage(ChatRole.User, "hi")], options, AnyClient, "m"));

        Assert.Contains("ContinuationToken", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToLlama4Messages_PdfDataContent_ThrowsNamingTheTypeAndWhatIsSupported()
    {
        var error = Assert.Throws<NotSupportedException>(() => Llama4ChatMapper.ToLlama4Messages(
            [new ChatMessage(ChatRole.User, [new TextContent("Summarise:"), new DataContent(new byte[] { 0x25, 0x50, 0x44, 0x46 }, "application/pdf")])],
            null));

        Assert.Contains("DataContent of media type application/pdf", error.Message, StringComparison.Ordinal);
        Assert.Contains("image/png, image/jpeg, image/gif or image/bmp", error.Message, StringComparison.Ordinal);
        Assert.Contains("TextContent", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("uri")]
    [InlineData("hosted file")]
    [InlineData("hosted vector store")]
    public void ToLlama4Messages_ContentTheModelCannotRead_ThrowsNamingTheTypeAndWhatIsSupported(string kind)
    {
        AIContent content = kind switch
        {
            "uri" => new UriContent(new Uri("https://example.invalid/chart.png"), "image/png"),
            "hosted file" => new HostedFileContent("file-1"),
            _ => new HostedVectorStoreContent("store-1"),
        };

        var error = Assert.Throws<NotSupportedException>(() => Llama4ChatMapper.ToLlama4Messages([new ChatMessage(ChatRole.User, [content])], null));

        Assert.Contains(content.GetType().Name, error.Message, StringComparison.Ordinal);
        Assert.Contains(Llama4ChatMapper.SupportedContents, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToLlama4Messages_CustomRole_ThrowsNotSupported()
    {
        Assert.Throws<NotSupportedException>(() => Llama4ChatMapper.ToLlama4Messages([new ChatMessage(new ChatRole("critic"), "x")], null));
    }

    [Fact]
    public void ToRequest_JsonResponseFormat_AsksForJsonReply()
    {
        var schema = AIJsonUtilities.CreateJsonSchema(typeof(int));

        Assert.Null(Llama4ChatMapper.ToRequest([new ChatMessage(ChatRole.User, "hi")], new ChatOptions { ResponseFormat = ChatResponseFormat.Json }, AnyClient, "m").JsonResponse!.Schema);
        Assert.Equal(
            schema.GetRawText(),
            Llama4ChatMapper.ToRequest([new ChatMessage(ChatRole.User, "hi")], new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(schema) }, AnyClient, "m").JsonResponse!.Schema!.Value.GetRawText());
        Assert.Null(Llama4ChatMapper.ToRequest([new ChatMessage(ChatRole.User, "hi")], new ChatOptions { ResponseFormat = ChatResponseFormat.Text }, AnyClient, "m").JsonResponse);
    }

    [Fact]
    public void ToRequest_ConversationId_BecomesCacheAffinity()
    {
        var request = Llama4ChatMapper.ToRequest([new ChatMessage(ChatRole.User, "hi")], new ChatOptions { ConversationId = "c1" }, AnyClient, "m");

        Assert.Equal("c1", request.ConversationId);
        Assert.Null(Llama4ChatMapper.ToRequest([new ChatMessage(ChatRole.User, "hi")], new ChatOptions(), AnyClient, "m").ConversationId);
    }

    [Fact]
    public void ToRequest_OtherModelId_ThrowsArgumentNamingServedModel()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            Llama4ChatMapper.ToRequest([new ChatMessage(ChatRole.User, "hi")], new ChatOptions { ModelId = "gpt-4o" }, AnyClient, "llama4-tiny"));

        Assert.Contains("llama4-tiny", ex.Message, StringComparison.Ordinal);
    }

    private sealed class NoOpClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
