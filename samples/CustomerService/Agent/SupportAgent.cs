using CustomerService.Data;
using CustomerService.Tools;
using Llama4.Core;
using Llama4.Extensions.AI;
using Llama4.Moderation;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CustomerService.Agent;

/// <summary>
/// The support agent: an Agent Framework <see cref="ChatClientAgent"/> over the whole Llama 4 pipeline, outermost first:
/// <code>
/// ModeratingAIAgent (the session stores redacted user text)
///  └ ChatClientAgent (instructions, tools, session history)
///     └ FunctionInvokingChatClient (runs tools; ApprovalRequiredAIFunction → approval requests)
///        └ ReducingChatClient (Llama4TruncatingChatReducer: the history within a token budget)
///           └ ModeratingChatClient (PII redaction, injection checks, topical rail; tool arguments and results)
///              └ Llama4ResilientChatClient (admission, timeouts, retry before the first token, circuit breaker)
///                 └ ModelInputRecorder → Llama4ChatClient → Llama4Engine
/// </code>
/// The tools are Semantic Kernel plugins over the SQLite database, exposed to the agent as <see cref="AIFunction"/>s.
/// <see cref="ChatClientAgent"/> adds its own function invocation only to a client that has none, so the one configured
/// here (detailed errors, so a refused argument's message reaches the model) is the only one.
/// </summary>
internal sealed class SupportAgent : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly IChatClient _pipeline;
    private readonly Llama4EmbeddingGenerator _embeddings;

    private SupportAgent(
        ServiceProvider services,
        IChatClient pipeline,
        Llama4EmbeddingGenerator embeddings,
        AIAgent agent,
        Llama4ChatClient modelClient,
        ModelInputRecorder modelInput,
        IReadOnlyList<AIFunction> tools,
        int tokenBudget)
    {
        _services = services;
        _pipeline = pipeline;
        _embeddings = embeddings;
        Agent = agent;
        ModelClient = modelClient;
        ModelInput = modelInput;
        Tools = tools;
        TokenBudget = tokenBudget;
    }

    public AIAgent Agent { get; }

    /// <summary>Gets the model client at the bottom of the pipeline (for KV session save and restore).</summary>
    public Llama4ChatClient ModelClient { get; }

    public ModelInputRecorder ModelInput { get; }

    /// <summary>Gets the tools as the model sees them (plugin-qualified names; the refund tool needs approval).</summary>
    public IReadOnlyList<AIFunction> Tools { get; }

    /// <summary>Gets the reducer's budget for the history, in prompt tokens.</summary>
    public int TokenBudget { get; }

    public static async Task<SupportAgent> CreateAsync(
        Llama4Engine engine,
        SupportDatabase database,
        SupportAgentSettings settings,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var services = new ServiceCollection();
        services.AddSingleton(loggerFactory);
        services.AddLogging();
        services.AddLlama4Moderation()
            .AddPiiDetection()
            .AddPromptInjectionDetection()
            .AddTopicalAllowList(o => o.Topics.Add(ShopTopic()));
        var provider = services.BuildServiceProvider();
        try
        {
            var embeddings = new Llama4EmbeddingGenerator(engine);
            var modelClient = new Llama4ChatClient(engine, logger: loggerFactory.CreateLogger<Llama4ChatClient>());
            var knowledgeBase = await FaqKnowledgeBase.CreateAsync(embeddings, FaqKnowledgeBase.DefaultEntries, cancellationToken).ConfigureAwait(false);

            var kernel = SupportTools.CreateKernel(database, knowledgeBase);
            var tools = SupportTools.CreateAIFunctions(kernel);

            var recorder = new ModelInputRecorder(modelClient);
            var tokenBudget = ComputeTokenBudget(engine, settings, tools);
            var reducer = new Llama4TruncatingChatReducer(
                engine,
                new Llama4TruncatingChatReducerOptions { TokenBudget = tokenBudget },
                loggerFactory.CreateLogger<Llama4TruncatingChatReducer>());

            var pipeline = new ChatClientBuilder(recorder)
                .UseFunctionInvocation(loggerFactory, f =>
                {
                    f.IncludeDetailedErrors = true;      // a refused argument's message tells the model what to send
                    f.MaximumIterationsPerRequest = 4;
                })
                .UseChatReducer(reducer)
                .UseLlama4Moderation()
                .UseLlama4Resilience()
                .Build(provider);

            var chatAgent = new ChatClientAgent(
                pipeline,
                new ChatClientAgentOptions
                {
                    Name = "nordlicht-support",
                    ChatOptions = new ChatOptions
                    {
                        Instructions = SupportAgentSettings.Instructions,
                        Tools = [.. tools],
                        MaxOutputTokens = settings.MaxOutputTokens,
                    },
                },
                loggerFactory,
                provider);
            var agent = chatAgent.AsBuilder().UseLlama4Moderation().Build(provider);
            return new SupportAgent(provider, pipeline, embeddings, agent, modelClient, recorder, tools, tokenBudget);
        }
        catch
        {
            await provider.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Disposes the pipeline, the embedding generator and the services; the engine stays loaded.</summary>
    public ValueTask DisposeAsync()
    {
        _pipeline.Dispose();
        _embeddings.Dispose();
        return _services.DisposeAsync();
    }

    private static AllowedTopic ShopTopic()
    {
        var topic = new AllowedTopic { Name = "shop" };
        foreach (var keyword in new[]
        {
            "order", "refund", "return", "deliver", "shipping", "ship", "package", "parcel", "customer", "account",
            "payment", "pay", "card", "charge", "invoice", "price", "product", "item", "keyboard", "mouse", "monitor",
            "headphone", "dock", "warranty", "broken", "damaged", "cancel", "address", "ticket", "human", "agent",
            "help", "support", "faq", "status", "money", "email", "e-mail", "thanks", "thank",
        })
        {
            topic.Keywords.Add(keyword);
        }

        return topic;
    }

    // Budget for the stored history: the context minus the reply and what every request adds on top of the messages
    // (instructions and tool definitions), measured with the engine's own token counter.
    private static int ComputeTokenBudget(Llama4Engine engine, SupportAgentSettings settings, IReadOnlyList<AIFunction> tools)
    {
        var counter = new Llama4ChatTokenCounter(engine);
        ChatMessage[] probe = [new(ChatRole.User, "probe")];
        var overhead = counter.CountTokens(probe, new ChatOptions { Instructions = SupportAgentSettings.Instructions, Tools = [.. tools] }) - counter.CountTokens(probe);
        var budget = engine.ContextSize - settings.MaxOutputTokens - overhead;
        return budget >= 256
            ? budget
            : throw new ArgumentException(
                $"A context of {engine.ContextSize} tokens leaves {budget} tokens for the conversation after {settings.MaxOutputTokens} output tokens and {overhead} tokens of instructions and tools; pass a larger --context or a smaller --max-tokens.",
                nameof(settings));
    }
}
