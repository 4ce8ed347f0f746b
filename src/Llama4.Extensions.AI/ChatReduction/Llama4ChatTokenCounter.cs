using System.Runtime.CompilerServices;
using Llama4.Core;
using Microsoft.Extensions.AI;

namespace Llama4.Extensions.AI;

/// <summary>
/// Counts the tokens that <see cref="ChatMessage"/>s take in the Llama 4 prompt that <see cref="Llama4ChatClient"/>
/// sends: each message is mapped and formatted exactly as the client does (turn header, content, end of turn; tool
/// calls as rendered; each tool result as its own <c>ipython</c> turn) and tokenized by the engine. Per-message counts
/// are cached, so counting a growing history again on every turn costs only the new messages. Thread-safe.
/// </summary>
/// <remarks>
/// <para>
/// The count of a message list plus <see cref="PromptOverheadTokens"/> equals <c>engine.CountTokens(prompt)</c> of the
/// prompt the client formats for those messages when the request offers no tools and sets no
/// <see cref="ChatOptions.Instructions"/>. Tools add their definitions (and an <c>Environment: ipython</c> line) to the
/// prompt, and instructions join the system turn: budget for them separately.
/// </para>
/// <para>
/// Tool calls are counted in the default JSON call style. With <see cref="Llama4ToolCallStyle.Pythonic"/> a past call is
/// rendered as a Python call instead, which usually differs by a few tokens per call.
/// </para>
/// <para>
/// A cached count is reused while the message keeps the same role and the same content objects (the same
/// <see cref="TextContent.Text"/> string, the same call arguments and result objects). Replacing a content, its text,
/// arguments or result is detected; changing an arguments dictionary or a result object in place after the message
/// was counted is not. Histories in Microsoft.Extensions.AI are append-only by convention, so this does not arise in
/// practice.
/// </para>
/// </remarks>
public sealed class Llama4ChatTokenCounter
{
    // A neutral user turn placed before a message to count it as "not the first turn" (the formatter treats a first
    // system turn specially); its own tokens are subtracted again.
    private static readonly Llama4Message Probe = new(Llama4Role.User, "x");

    private readonly ConditionalWeakTable<ChatMessage, CountEntry> _cache = [];
    private readonly int _bosTokens;
    private readonly int _probeTokens;

    /// <summary>Creates a counter over an engine's tokenizer.</summary>
    /// <param name="engine">The engine whose vocabulary and prompt format are counted; it stays owned by the caller.</param>
    /// <exception cref="ArgumentNullException"><paramref name="engine"/> is <see langword="null"/>.</exception>
    public Llama4ChatTokenCounter(Llama4Engine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        Engine = engine;
        _bosTokens = engine.CountTokens(Llama4PromptFormatter.Format([], addGenerationPrompt: false));
        _probeTokens = engine.CountTokens(Llama4PromptFormatter.Format([Probe], addGenerationPrompt: false)) - _bosTokens;
        PromptOverheadTokens = engine.CountTokens(Llama4PromptFormatter.Format([], addGenerationPrompt: true));
    }

    /// <summary>
    /// Gets the tokens every prompt has besides its messages: <c>&lt;|begin_of_text|&gt;</c> and the assistant header
    /// that asks the model to answer.
    /// </summary>
    public int PromptOverheadTokens { get; }

    internal Llama4Engine Engine { get; }

    /// <summary>
    /// Counts the tokens of the prompt that <see cref="Llama4ChatClient"/> formats for <paramref name="messages"/>
    /// (without tools or instructions), overhead included.
    /// </summary>
    /// <param name="messages">The messages in order.</param>
    /// <returns>The prompt's token count.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> or one of them is <see langword="null"/>.</exception>
    /// <exception cref="NotSupportedException">A message holds content that the client cannot send (an unknown content type, a role other than system, user, assistant or tool).</exception>
    /// <exception cref="Llama4ImageException">A message holds an image the engine cannot read (no vision projector, an unsupported type, damaged or too large); images the engine reads are counted.</exception>
    public int CountTokens(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var total = PromptOverheadTokens;
        var atStart = true;
        foreach (var message in messages)
        {
            ArgumentNullException.ThrowIfNull(message, nameof(messages));
            total += CountTokens(message, ref atStart);
        }

        return total;
    }

    /// <summary>
    /// Counts the tokens of the whole prompt that <see cref="Llama4ChatClient"/> sends for a request: the messages with
    /// <see cref="ChatOptions.Instructions"/> in the system turn and the offered tools' definitions, exactly as the
    /// client formats them. Use it to size a reducer's budget: the tools and instructions take
    /// <c>CountTokens(messages, options) - CountTokens(messages)</c> tokens.
    /// </summary>
    /// <param name="messages">The messages in order.</param>
    /// <param name="options">The request's options (tools, tool mode, instructions); <see langword="null"/> for none.</param>
    /// <param name="clientOptions">How the client presents tools (placement, call style); <see langword="null"/> for the defaults.</param>
    /// <returns>The prompt's token count, as the engine will decode it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> or one of them is <see langword="null"/>.</exception>
    /// <exception cref="NotSupportedException">A message or tool is something the client cannot send.</exception>
    public int CountTokens(IEnumerable<ChatMessage> messages, ChatOptions? options, Llama4ChatClientOptions? clientOptions = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var tools = Llama4ChatMapper.ToToolOptions(options, clientOptions ?? new Llama4ChatClientOptions());
        return Engine.CountTokens(Llama4PromptFormatter.Format(Llama4ChatMapper.ToLlama4Messages(messages, options?.Instructions), tools));
    }

    /// <summary>
    /// Counts the tokens one message adds to the prompt at its position. <paramref name="atStart"/> tells whether no
    /// earlier message rendered a turn (a system message is trimmed there, as Meta's template does); it is cleared when
    /// this message renders one.
    /// </summary>
    internal int CountTokens(ChatMessage message, ref bool atStart)
    {
        var entry = GetEntry(message);
        if (entry.Turns.Count == 0)
        {
            return 0;
        }

        var first = atStart;
        atStart = false;
        return first ? entry.CountAtStart(this) : entry.CountAfterStart(this);
    }

    /// <summary>Gets the Llama 4 turns a message becomes (cached with its counts).</summary>
    internal IReadOnlyList<Llama4Message> GetTurns(ChatMessage message) => GetEntry(message).Turns;

    private CountEntry GetEntry(ChatMessage message)
    {
        var fingerprint = Fingerprint(message);
        if (_cache.TryGetValue(message, out var entry) && entry.Matches(fingerprint))
        {
            return entry;
        }

        entry = new CountEntry(fingerprint, Llama4ChatMapper.ToLlama4Messages([message], instructions: null));
        _cache.AddOrUpdate(message, entry);
        return entry;
    }

    private int CountFormatted(List<Llama4Message> turns) =>
        Engine.CountTokens(Llama4PromptFormatter.Format(turns, addGenerationPrompt: false));

    // The objects whose identity decides what a message renders to. Strings and content objects are compared by
    // reference: cheap, and a replaced text or content always shows.
    private static object?[] Fingerprint(ChatMessage message)
    {
        var contents = message.Contents;
        var result = new object?[1 + (contents.Count * 4)];
        result[0] = message.Role.Value;
        for (var i = 0; i < contents.Count; i++)
        {
            var content = contents[i];
            var at = 1 + (i * 4);
            result[at] = content;
            switch (content)
            {
                case TextContent text:
                    result[at + 1] = text.Text;
                    break;
                case FunctionCallContent call:
                    result[at + 1] = call.Name;
                    result[at + 2] = call.Arguments;
                    break;
                case FunctionResultContent functionResult:
                    result[at + 1] = functionResult.Result;
                    result[at + 2] = functionResult.CallId;
                    break;
            }
        }

        return result;
    }

    private sealed class CountEntry(object?[] fingerprint, List<Llama4Message> turns)
    {
        private int _atStart = -1;
        private int _afterStart = -1;

        public List<Llama4Message> Turns { get; } = turns;

        public bool Matches(object?[] other)
        {
            if (other.Length != fingerprint.Length)
            {
                return false;
            }

            for (var i = 0; i < other.Length; i++)
            {
                if (!ReferenceEquals(other[i], fingerprint[i]))
                {
                    return false;
                }
            }

            return true;
        }

        // Both counts come from the real formatter: the turns formatted alone (after BOS), and after a probe turn.
        // Special tokens split tokenization, so a turn's tokens never depend on its neighbours.
        public int CountAtStart(Llama4ChatTokenCounter owner)
        {
            if (_atStart < 0)
            {
                Volatile.Write(ref _atStart, owner.CountFormatted(Turns) - owner._bosTokens);
            }

            return _atStart;
        }

        public int CountAfterStart(Llama4ChatTokenCounter owner)
        {
            if (_afterStart < 0)
            {
                Volatile.Write(ref _afterStart, owner.CountFormatted([Probe, .. Turns]) - owner._bosTokens - owner._probeTokens);
            }

            return _afterStart;
        }
    }
}
