using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Llama4.Core;
using Llama4.Extensions.AI.ChatReduction;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Llama4.Extensions.AI;

/// <summary>
/// An <see cref="IChatReducer"/> that keeps a history within a token budget, counted exactly as the Llama 4 prompt is
/// tokenized, by replacing the oldest messages with a summary that a chat client (in practice the same Llama 4 model)
/// writes. It selects what to evict exactly as <see cref="Llama4TruncatingChatReducer"/> does (leading system
/// messages, pinned messages, tool call/result groups and the newest group are kept; eviction happens in large,
/// stable steps).
/// </summary>
/// <remarks>
/// <para>
/// <b>Where the summary goes.</b> One user message marked with
/// <see cref="Llama4ChatReductionExtensions.SummaryPropertyKey"/>, placed right after the leading system message(s).
/// The Llama 4 format has one system turn at the top; a second system turn (or a summary merged into the system
/// message) would leave Meta's format or change the very first tokens of the prompt on every re-summarization. As a
/// user turn the summary keeps the format well-formed, keeps the system prompt's tokens (and their KV cache) intact,
/// and gives the summarized text (which came mostly from the user and tools) no more authority than it had.
/// </para>
/// <para>
/// <b>Stable summaries.</b> Each eviction step is summarized once: the summary of step <c>n</c> is written from the
/// summary of step <c>n-1</c> and the messages step <c>n</c> evicts (steps not summarized yet, as when a long history
/// arrives at once, go to the model together, up to the token budget of evicted messages per request minus room for
/// the summaries), and it is remembered under a SHA-256 hash of everything evicted so far. The same history therefore gets the same summary text on every later turn without a
/// model call, so the prompt's prefix (and the KV cache) stays reusable. A history that comes back already reduced
/// (an agent's stored history) carries its summary message, which the next step folds into the new summary.
/// </para>
/// <para>
/// The summary's tokens (<see cref="Llama4SummarizingChatReducerOptions.SummaryMaxTokens"/> plus its framing) are
/// reserved out of the target before anything is generated, so the cut does not depend on what the model writes. A
/// summary request that fails fails the reduction with the client's exception. Thread-safe; share one instance.
/// </para>
/// </remarks>
public sealed partial class Llama4SummarizingChatReducer : IChatReducer
{
    /// <summary>The text that opens every summary message, before the summary itself.</summary>
    public const string SummaryPrefix = "Summary of the earlier part of this conversation (those messages were removed to fit the context window):\n\n";

    private readonly IChatClient _summarizer;
    private readonly Llama4ChatTokenCounter _counter;
    private readonly Llama4SummarizingChatReducerOptions _options;
    private readonly SummaryCache _cache;
    private readonly ILogger _logger;
    private readonly int _summaryReserve;

    /// <summary>Creates a reducer.</summary>
    /// <param name="summarizer">
    /// Writes the summaries; usually a <see cref="Llama4ChatClient"/> over the same engine. Pass a client WITHOUT this
    /// reducer in its pipeline, or summary requests would be reduced too.
    /// </param>
    /// <param name="engine">The engine whose prompts are counted; it stays owned by the caller.</param>
    /// <param name="options">The budget and summary settings; copied, so later changes have no effect.</param>
    /// <param name="logger">Logs reductions and summary requests at Debug level; optional.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid, or the summary reserve does not fit the target; the message names each problem.</exception>
    public Llama4SummarizingChatReducer(
        IChatClient summarizer,
        Llama4Engine engine,
        Llama4SummarizingChatReducerOptions options,
        ILogger<Llama4SummarizingChatReducer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(summarizer);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid Llama 4 summarizing chat reducer options: " + string.Join(" ", errors), nameof(options));
        }

        _options = options.Clone();
        _summarizer = summarizer;
        _counter = new Llama4ChatTokenCounter(engine);
        _cache = new SummaryCache(_options.SummaryCacheCapacity);
        _logger = logger ?? (ILogger)NullLogger.Instance;
        var framing = false;
        _summaryReserve = _counter.CountTokens(CreateSummaryMessage(string.Empty), ref framing) + _options.SummaryMaxTokens;
        if (_summaryReserve >= TargetTokens)
        {
            throw new ArgumentException(
                $"The summary reserve ({_summaryReserve} tokens: SummaryMaxTokens {_options.SummaryMaxTokens} plus the summary message's framing) " +
                $"does not fit TargetTokens ({TargetTokens}) with room for the kept messages; lower SummaryMaxTokens or raise TargetTokens.",
                nameof(options));
        }
    }

    /// <summary>Gets the most tokens a reduced history takes in the prompt, summary included (without tools and instructions).</summary>
    public int TokenBudget => _options.TokenBudget;

    /// <summary>Gets the tokens an eviction reduces the history to, summary included.</summary>
    public int TargetTokens => _options.EffectiveTarget;

    /// <summary>Gets the tokens reserved for the summary message (its framing plus <see cref="Llama4SummarizingChatReducerOptions.SummaryMaxTokens"/>).</summary>
    public int SummaryReserveTokens => _summaryReserve;

    /// <inheritdoc />
    /// <exception cref="Llama4ChatReductionException">The messages that must be kept do not fit the budget.</exception>
    /// <exception cref="NotSupportedException">A message holds content that <see cref="Llama4ChatClient"/> cannot send.</exception>
    public async Task<IEnumerable<ChatMessage>> ReduceAsync(IEnumerable<ChatMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();
        var list = ChatReductionInput.ToList(messages);
        var groups = ChatReductionPlanner.Group(list, _counter);
        var leading = ChatReductionPlanner.CountLeadingSystemGroups(groups, list);
        var plan = ChatReductionPlanner.Plan(groups, leading, _counter.PromptOverheadTokens, TokenBudget, TargetTokens, _summaryReserve);
        if (plan.Tokens > TokenBudget)
        {
            throw new Llama4ChatReductionException(plan.Tokens, TokenBudget);
        }

        if (plan.Steps.Count == 0)
        {
            return list;
        }

        var summary = await SummarizeAsync(list, groups, leading, plan.Steps, cancellationToken).ConfigureAwait(false);
        var reduced = new List<ChatMessage>(list.Count);
        for (var g = 0; g < leading; g++)
        {
            reduced.Add(list[groups[g].Start]);
        }

        reduced.Add(CreateSummaryMessage(summary));
        for (var g = leading; g < groups.Count; g++)
        {
            if (g >= plan.Cut || groups[g].Mandatory)
            {
                for (var i = groups[g].Start; i < groups[g].End; i++)
                {
                    reduced.Add(list[i]);
                }
            }
        }

        LogReduced(_logger, list.Count, reduced.Count, plan.Tokens, TokenBudget);
        return reduced;
    }

    private static ChatMessage CreateSummaryMessage(string summary) => new(ChatRole.User, SummaryPrefix + summary)
    {
        AdditionalProperties = new() { [Llama4ChatReductionExtensions.SummaryPropertyKey] = true },
    };

    private async Task<string> SummarizeAsync(
        List<ChatMessage> messages,
        List<ChatReductionGroup> groups,
        int leading,
        IReadOnlyList<int> steps,
        CancellationToken cancellationToken)
    {
        // Each step evicts the non-mandatory groups between the previous cut and its own. Its key hashes the previous
        // key and what it evicts, so a key names everything summarized so far.
        var keys = new string[steps.Count];
        var transcripts = new string[steps.Count];
        var evictedTokens = new int[steps.Count];
        var earlierSummaries = new string?[steps.Count];
        var previousKey = string.Empty;
        var from = leading;
        for (var s = 0; s < steps.Count; s++)
        {
            var transcript = new StringBuilder();
            for (var g = from; g < steps[s]; g++)
            {
                if (groups[g].Mandatory)
                {
                    continue;
                }

                if (groups[g].IsSummary && s == 0 && earlierSummaries[0] is null)
                {
                    // The summary of an earlier reduction (the history came back reduced; it is always the first group
                    // after the system messages): the new summary continues from it.
                    earlierSummaries[0] = StripPrefix(messages[groups[g].Start].Text);
                    continue;
                }

                evictedTokens[s] += groups[g].Tokens;
                for (var i = groups[g].Start; i < groups[g].End; i++)
                {
                    AppendTranscript(transcript, _counter.GetTurns(messages[i]));
                }
            }

            transcripts[s] = transcript.ToString();
            keys[s] = Hash(previousKey, earlierSummaries[s], transcripts[s]);
            previousKey = keys[s];
            from = steps[s];
        }

        var known = steps.Count - 1;
        while (known >= 0 && !_cache.TryGet(keys[known], out _))
        {
            known--;
        }

        string? summary = null;
        if (known >= 0)
        {
            _cache.TryGet(keys[known], out summary);
        }

        // Steps not summarized yet go to the model in batches of evicted messages that fit the budget with room for
        // the previous and the new summary (one step may exceed it alone), so catching up on a long history takes few
        // requests and each fits the context. Only the last step of a batch gets a cache entry: later turns continue
        // from the newest step.
        var batchLimit = TokenBudget - (2 * _summaryReserve);
        for (var first = known + 1; first < steps.Count;)
        {
            var last = first;
            var batchTokens = evictedTokens[first];
            while (last + 1 < steps.Count && batchTokens + evictedTokens[last + 1] <= batchLimit)
            {
                batchTokens += evictedTokens[++last];
            }

            var transcript = string.Concat(transcripts[first..(last + 1)]);
            var started = Stopwatch.GetTimestamp();
            var response = await _summarizer.GetResponseAsync(
                [
                    new ChatMessage(ChatRole.System, _options.EffectiveInstructions),
                    new ChatMessage(ChatRole.User, SummaryRequest(summary ?? earlierSummaries[first], transcript)),
                ],
                new ChatOptions { MaxOutputTokens = _options.SummaryMaxTokens },
                cancellationToken).ConfigureAwait(false);
            var text = FitToReserve(response.Text.Trim());
            summary = _cache.GetOrAdd(keys[last], text);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogSummarized(_logger, last + 1, steps.Count, transcript.Length, elapsed);
            first = last + 1;
        }

        return summary!;
    }

    private static string SummaryRequest(string? previous, string transcript)
    {
        var request = new StringBuilder();
        if (previous is not null)
        {
            request.Append("Summary so far:\n").Append(previous).Append("\n\n");
        }

        request.Append("New messages:\n").Append(transcript.Length == 0 ? "(none)\n" : transcript)
            .Append("\nWrite the updated summary.");
        return request.ToString();
    }

    private static void AppendTranscript(StringBuilder transcript, IReadOnlyList<Llama4Message> turns)
    {
        foreach (var turn in turns)
        {
            var role = turn.Role switch
            {
                Llama4Role.System => "System",
                Llama4Role.User => "User",
                Llama4Role.Assistant => "Assistant",
                _ => "Tool result",
            };
            if (turn.Content.Length > 0 || turn.ToolCalls.Count == 0)
            {
                transcript.Append(role).Append(": ").Append(turn.Content).Append('\n');
            }

            foreach (var call in turn.ToolCalls)
            {
                transcript.Append("Assistant called ").Append(call.Name).Append('(');
                var first = true;
                foreach (var (name, value) in call.Arguments)
                {
                    transcript.Append(first ? string.Empty : ", ").Append(name).Append('=').Append(value.GetRawText());
                    first = false;
                }

                transcript.Append(")\n");
            }
        }
    }

    private static string Hash(string previousKey, string? earlierSummary, string transcript)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(hash, previousKey);
        Append(hash, earlierSummary ?? "\0");
        Append(hash, transcript);
        return Convert.ToHexString(hash.GetHashAndReset());

        static void Append(IncrementalHash hash, string text)
        {
            hash.AppendData(BitConverter.GetBytes(text.Length));
            hash.AppendData(Encoding.UTF8.GetBytes(text));
        }
    }

    private static string StripPrefix(string text) => text.StartsWith(SummaryPrefix, StringComparison.Ordinal) ? text[SummaryPrefix.Length..] : text;

    // The summary message must fit its reserve whatever the model wrote: re-tokenizing text can give a few more tokens
    // than were generated. Drop tokens from the end until it fits.
    private string FitToReserve(string summary)
    {
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var atStart = false;
            var excess = _counter.CountTokens(CreateSummaryMessage(summary), ref atStart) - _summaryReserve;
            if (excess <= 0)
            {
                return summary;
            }

            var tokens = _counter.Engine.Tokenize(summary);
            summary = _counter.Engine.Detokenize(tokens.Take(Math.Max(0, tokens.Count - excess)));
        }

        return string.Empty;
    }

    [LoggerMessage(EventId = 301, Level = LogLevel.Debug, Message = "Chat reduction kept {Kept} of {Total} messages (a summary included): {Tokens} prompt tokens for a budget of {Budget}.")]
    private static partial void LogReduced(ILogger logger, int total, int kept, int tokens, int budget);

    [LoggerMessage(EventId = 302, Level = LogLevel.Debug, Message = "Wrote the summary up to eviction step {Step} of {Steps} from {Characters} characters of evicted messages in {Milliseconds:F0} ms.")]
    private static partial void LogSummarized(ILogger logger, int step, int steps, int characters, double milliseconds);
}
