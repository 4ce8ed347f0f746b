using Llama4.Core;
using Llama4.Extensions.AI.ChatReduction;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Llama4.Extensions.AI;

/// <summary>
/// An <see cref="IChatReducer"/> that keeps a history within a token budget, counted exactly as the Llama 4 prompt is
/// tokenized, by evicting the oldest messages. Use it with <c>ChatClientBuilder.UseChatReducer</c>, an agent's chat
/// history, or Semantic Kernel through an <c>IChatHistoryReducer</c> adapter.
/// </summary>
/// <remarks>
/// <para>
/// It always keeps the leading system message(s), pinned messages (see
/// <see cref="Llama4ChatReductionExtensions.PinForChatReduction"/>) and the newest message group, and it keeps or
/// evicts tool calls together with their results: an assistant message with <see cref="FunctionCallContent"/>s and
/// the tool messages holding the matching <see cref="FunctionResultContent"/>s (by call id), with everything between
/// them, form one group. No message is ever split or changed.
/// </para>
/// <para>
/// Eviction happens in large steps: when the history exceeds <see cref="Llama4TruncatingChatReducerOptions.TokenBudget"/>,
/// the oldest groups are evicted until it fits <see cref="Llama4TruncatingChatReducerOptions.TargetTokens"/> (half the
/// budget by default), and further up to the next user message when one follows. The cut depends only on the history,
/// and it does not move while new messages are appended until the budget is exceeded again: the prompt keeps the same
/// prefix between reductions, so the engine's KV cache of it stays reusable. The reducer holds no per-conversation
/// state and is safe to share.
/// </para>
/// </remarks>
public sealed partial class Llama4TruncatingChatReducer : IChatReducer
{
    private readonly Llama4ChatTokenCounter _counter;
    private readonly ILogger _logger;

    /// <summary>Creates a reducer that counts tokens with an engine's tokenizer and prompt format.</summary>
    /// <param name="engine">The engine whose prompts are counted; it stays owned by the caller.</param>
    /// <param name="options">The budget; copied, so later changes have no effect.</param>
    /// <param name="logger">Logs each reduction at Debug level; optional.</param>
    /// <exception cref="ArgumentNullException"><paramref name="engine"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid; the message names each problem.</exception>
    public Llama4TruncatingChatReducer(Llama4Engine engine, Llama4TruncatingChatReducerOptions options, ILogger<Llama4TruncatingChatReducer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid Llama 4 truncating chat reducer options: " + string.Join(" ", errors), nameof(options));
        }

        options = options.Clone();
        TokenBudget = options.TokenBudget;
        TargetTokens = options.EffectiveTarget;
        _counter = new Llama4ChatTokenCounter(engine);
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Gets the most tokens a reduced history takes in the prompt (without tools and instructions).</summary>
    public int TokenBudget { get; }

    /// <summary>Gets the tokens an eviction reduces the history to.</summary>
    public int TargetTokens { get; }

    /// <inheritdoc />
    /// <exception cref="Llama4ChatReductionException">The messages that must be kept do not fit the budget.</exception>
    /// <exception cref="NotSupportedException">A message holds content that <see cref="Llama4ChatClient"/> cannot send.</exception>
    public Task<IEnumerable<ChatMessage>> ReduceAsync(IEnumerable<ChatMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();
        var list = ChatReductionInput.ToList(messages);
        var (kept, tokens) = ChatReductionPlanner.Truncate(list, _counter, TokenBudget, TargetTokens);
        if (!ReferenceEquals(kept, list))
        {
            LogReduced(_logger, list.Count, kept.Count, tokens, TokenBudget);
        }

        return Task.FromResult<IEnumerable<ChatMessage>>(kept);
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Debug, Message = "Chat reduction kept {Kept} of {Total} messages: {Tokens} prompt tokens for a budget of {Budget}.")]
    private static partial void LogReduced(ILogger logger, int total, int kept, int tokens, int budget);
}
