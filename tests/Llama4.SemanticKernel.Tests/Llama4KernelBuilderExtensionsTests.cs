using Llama4.Core;
using Llama4.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Llama4.SemanticKernel.Tests;

public sealed class Llama4KernelBuilderExtensionsTests
{
    private static void Configure(Llama4EngineOptions options)
    {
        options.ModelPath = TinyModelFiles.Default;
        options.ContextSize = 4096;
        options.MaxParallelSequences = 2;
        options.Backend = Llama4Backend.Cpu;
    }

    [Fact]
    public async Task KernelPromptFunction_RunsEndToEndOnTheTinyModel()
    {
        ChatResponse? seen = null;
        ChatOptions? sentOptions = null;
        List<ChatMessage>? sentMessages = null;
        var kernel = Kernel.CreateBuilder()
            .AddLlama4ChatClient(Configure, configureClient: b => b.Use(
                async (messages, options, inner, ct) =>
                {
                    sentMessages = [.. messages];
                    sentOptions = options;
                    seen = await inner.GetResponseAsync(sentMessages, options, ct);
                    return seen;
                },
                null))
            .Build();
        var function = kernel.CreateFunctionFromPrompt(
            "Say hello to {{$name}}.",
            new PromptExecutionSettings { ExtensionData = new Dictionary<string, object> { ["max_tokens"] = 6, ["seed"] = 1 } });

        var result = await kernel.InvokeAsync(function, new KernelArguments { ["name"] = "Ada" }, TestContext.Current.CancellationToken);

        Assert.NotNull(seen);
        Assert.Equal(seen.Text, result.GetValue<string>());
        Assert.Contains(sentMessages!, m => m.Role == ChatRole.User && m.Text == "Say hello to Ada.");
        Assert.Equal(6, sentOptions!.MaxOutputTokens);
        Assert.Equal(1, sentOptions.Seed);
        Assert.InRange(seen.Usage!.OutputTokenCount!.Value, 1, 6);
    }

    [Fact]
    public async Task AsChatCompletionService_StreamsAndCompletes()
    {
        var kernel = Kernel.CreateBuilder().AddLlama4ChatClient(Configure).Build();
        var service = kernel.GetRequiredService<IChatClient>().AsChatCompletionService(kernel.Services);
        var history = new ChatHistory("You are terse.");
        history.AddUserMessage("Hi");
        var settings = new PromptExecutionSettings { ExtensionData = new Dictionary<string, object> { ["max_tokens"] = 5 } };

        var message = await service.GetChatMessageContentAsync(history, settings, kernel, TestContext.Current.CancellationToken);
        var chunks = await service.GetStreamingChatMessageContentsAsync(history, settings, kernel, TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);

        Assert.Equal(AuthorRole.Assistant, message.Role);
        Assert.NotEmpty(chunks);
    }

    [Fact]
    public async Task AddLlama4ChatClient_WithServiceId_RegistersKeyedClientAndMiddleware()
    {
        var middlewareRan = false;
        var kernel = Kernel.CreateBuilder()
            .AddLlama4ChatClient(Configure, serviceId: "local", configureClient: b => b.Use((messages, options, next, ct) =>
            {
                middlewareRan = true;
                return next(messages, options, ct);
            }))
            .Build();

        var client = kernel.Services.GetRequiredKeyedService<IChatClient>("local");
        await client.GetResponseAsync("Hi", new ChatOptions { MaxOutputTokens = 2 }, TestContext.Current.CancellationToken);

        Assert.True(middlewareRan);
    }
}
