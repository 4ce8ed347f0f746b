using CodingAgent.Commands;
using CodingAgent.Workspace;
using Llama4.Core;
using Llama4.Extensions.AI;
using Llama4.Moderation;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace CodingAgent.Agent;

/// <summary>
/// The coding agent over one engine and one workspace: an Agent Framework <see cref="ChatClientAgent"/> over
/// <see cref="Llama4ChatClient"/> with function invocation (approvals included), the token-exact
/// <see cref="Llama4TruncatingChatReducer"/> sized to the context, <c>UseLlama4Resilience</c>, and the
/// <see cref="CodeInterpreterRail"/> on tool arguments through Agent Framework function middleware
/// (<c>UseLlama4ToolModeration</c>).
/// </summary>
internal sealed class CodingAgentRuntime
{
    /// <summary>The agent's instructions.</summary>
    public const string Instructions =
        "You are a coding agent working inside one workspace folder. Use the tools to list, read and search files before " +
        "you answer; paths are relative to the workspace root. Change files with write_file or patch_file and check your " +
        "work with run_dotnet; these need the user's approval, so say what you are about to do. Be brief.";

    private readonly InMemoryChatHistoryProvider _history;
    private readonly Llama4ChatTokenCounter _counter;
    private readonly Llama4TruncatingChatReducer _reducer;

    private CodingAgentRuntime(
        Llama4Engine engine,
        AIAgent agent,
        InMemoryChatHistoryProvider history,
        Llama4ChatTokenCounter counter,
        Llama4TruncatingChatReducer reducer,
        IReadOnlyList<AIFunction> tools,
        int requestOverheadTokens,
        int historyTokenBudget,
        CodingAgentSettings settings)
    {
        Engine = engine;
        Agent = agent;
        _history = history;
        _counter = counter;
        _reducer = reducer;
        Tools = tools;
        RequestOverheadTokens = requestOverheadTokens;
        HistoryTokenBudget = historyTokenBudget;
        Settings = settings;
    }

    /// <summary>Gets the engine.</summary>
    public Llama4Engine Engine { get; }

    /// <summary>Gets the agent (with its tool-moderation middleware).</summary>
    public AIAgent Agent { get; }

    /// <summary>Gets the tools offered to the model.</summary>
    public IReadOnlyList<AIFunction> Tools { get; }

    /// <summary>Gets the tokens the instructions and tool definitions add to every request.</summary>
    public int RequestOverheadTokens { get; }

    /// <summary>Gets the token budget of the conversation history (the reducer's budget).</summary>
    public int HistoryTokenBudget { get; }

    /// <summary>Gets the settings.</summary>
    public CodingAgentSettings Settings { get; }

    /// <summary>Builds the agent.</summary>
    /// <param name="engine">The loaded engine (not owned).</param>
    /// <param name="sandbox">The workspace.</param>
    /// <param name="settings">The settings.</param>
    /// <param name="loggerFactory">Logging for the pipeline.</param>
    /// <returns>The runtime.</returns>
    /// <exception cref="ArgumentException">The context is too small for the instructions, tools and output.</exception>
    public static CodingAgentRuntime Create(Llama4Engine engine, WorkspaceSandbox sandbox, CodingAgentSettings settings, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(sandbox);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggerFactory);

        var runner = new WorkspaceCommandRunner(sandbox.Root, settings.CommandTimeLimit, settings.MaxCommandOutputCharacters);
        var tools = new WorkspaceTools(sandbox, runner).CreateFunctions(settings.DemoModel);

        // The reducer's budget counts the history only: leave room for the instructions, tool definitions and output.
        var counter = new Llama4ChatTokenCounter(engine);
        List<ChatMessage> probe = [new(ChatRole.User, "?")];
        var overhead = counter.CountTokens(probe, new ChatOptions { Instructions = Instructions, Tools = [.. tools] }) - counter.CountTokens(probe);
        var budget = engine.ContextSize - settings.MaxOutputTokens - overhead;
        if (budget < 1024)
        {
            throw new ArgumentException(
                $"The context of {engine.ContextSize} tokens leaves {budget} tokens of history after {overhead} tokens of instructions and tools and {settings.MaxOutputTokens} of output; " +
                "raise --context or lower --max-output-tokens so that at least 1024 remain.",
                nameof(engine));
        }

        var reducer = new Llama4TruncatingChatReducer(
            engine,
            new Llama4TruncatingChatReducerOptions { TokenBudget = budget },
            loggerFactory.CreateLogger<Llama4TruncatingChatReducer>());
        IChatClient client = new ChatClientBuilder(new Llama4ChatClient(engine))
            .UseFunctionInvocation(loggerFactory, invoker => invoker.MaximumIterationsPerRequest = settings.MaxToolRoundsPerRun)
            .UseChatReducer(reducer)
            .UseLlama4Resilience()
            .Build();

        var history = new InMemoryChatHistoryProvider(new InMemoryChatHistoryProviderOptions());
        var chatClientAgent = new ChatClientAgent(
            client,
            new ChatClientAgentOptions
            {
                Name = "coding-agent",
                ChatOptions = new ChatOptions
                {
                    Instructions = Instructions,
                    Tools = [.. tools],
                    MaxOutputTokens = settings.MaxOutputTokens,
                    Seed = settings.Seed,
                },
                ChatHistoryProvider = history,
            },
            loggerFactory);

        var guard = new ModerationGuard(
            new RuleBasedModerator(CodeInterpreterRail.CreateOptions()),
            new ModerationOptions(),
            loggerFactory);
        var agent = chatClientAgent.AsBuilder().UseLlama4ToolModeration(guard).Build();
        return new CodingAgentRuntime(engine, agent, history, counter, reducer, tools, overhead, budget, settings);
    }

    /// <summary>Gets the conversation the session holds (what the next request sends, before reduction).</summary>
    /// <param name="session">The session.</param>
    /// <returns>The stored messages.</returns>
    public IReadOnlyList<ChatMessage> GetHistory(AgentSession session) => _history.GetMessages(session);

    /// <summary>
    /// Counts the tokens of the conversation as the model sees it on the next request: the history after the reducer,
    /// plus the instructions and tool definitions, exactly as the engine counts the prompt.
    /// </summary>
    /// <param name="session">The session.</param>
    /// <param name="cancellationToken">Cancels the count.</param>
    /// <returns>The tokens in context and the tokens of the whole stored history.</returns>
    public async Task<(int InContext, int StoredHistory)> CountContextTokensAsync(AgentSession session, CancellationToken cancellationToken)
    {
        // The stored history keeps approval requests and responses; the counter and the reducer count them as the
        // client sends them (not at all) and keep each with its call.
        var history = GetHistory(session);
        var reduced = await _reducer.ReduceAsync(history, cancellationToken).ConfigureAwait(false);
        return (_counter.CountTokens(reduced) + RequestOverheadTokens, _counter.CountTokens(history) + RequestOverheadTokens);
    }
}
