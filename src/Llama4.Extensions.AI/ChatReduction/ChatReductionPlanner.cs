using Microsoft.Extensions.AI;

namespace Llama4.Extensions.AI.ChatReduction;

/// <summary>
/// The selection shared by the Llama 4 reducers: groups a history into units that are kept or evicted whole, and
/// decides where to cut it so that the kept part fits the budget and stays the same while the history grows.
/// </summary>
/// <remarks>
/// The cut is found by replaying the history from its first message: groups are added one at a time and, whenever the
/// kept part exceeds the budget, the oldest evictable groups are evicted until it fits the (lower) target, then up to
/// the next user turn when one follows. The result depends only on the history, so the same history always gives the
/// same cut; and appending messages replays the same steps for the old part, so the cut moves only when the kept part
/// exceeds the budget again. That keeps the prompt's prefix, and so the model's KV cache, reusable between
/// reductions.
/// </remarks>
internal static class ChatReductionPlanner
{
    public static List<ChatReductionGroup> Group(IReadOnlyList<ChatMessage> messages, Llama4ChatTokenCounter counter)
    {
        var leading = 0;
        while (leading < messages.Count && messages[leading].Role == ChatRole.System)
        {
            leading++;
        }

        // Where each call was made, then how far each message's calls reach (the last message holding a result).
        var callSites = new Dictionary<string, int>(StringComparer.Ordinal);
        var reach = new int[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            reach[i] = i;
            foreach (var content in messages[i].Contents)
            {
                // An approval request opens a call as the call itself does, and its response belongs with it: the
                // function invocation layer needs both to run the approved call.
                var opened = content switch
                {
                    FunctionCallContent call => call.CallId,
                    ToolApprovalRequestContent request => request.ToolCall.CallId,
                    _ => null,
                };
                var closed = content switch
                {
                    FunctionResultContent result => result.CallId,
                    ToolApprovalResponseContent response => response.ToolCall.CallId,
                    _ => null,
                };
                if (opened is not null && i >= leading)
                {
                    callSites.TryAdd(opened, i);
                }
                else if (closed is not null && callSites.TryGetValue(closed, out var site))
                {
                    reach[site] = Math.Max(reach[site], i);
                }
            }
        }

        var groups = new List<ChatReductionGroup>();
        var atStart = true;
        var start = 0;
        while (start < messages.Count)
        {
            var end = start + 1;
            if (start >= leading)
            {
                // Extend over every message a member's calls reach, transitively.
                var last = reach[start];
                while (end <= last)
                {
                    last = Math.Max(last, reach[end]);
                    end++;
                }
            }

            var wasAtStart = atStart;
            var tokens = 0;
            var pinned = false;
            for (var i = start; i < end; i++)
            {
                var notAtStart = false;
                tokens += counter.CountTokens(messages[i], ref notAtStart);
                pinned |= messages[i].IsPinnedForChatReduction();
            }

            var tokensAtStart = tokens;
            if (wasAtStart)
            {
                tokensAtStart = 0;
                var first = true;
                for (var i = start; i < end; i++)
                {
                    tokensAtStart += counter.CountTokens(messages[i], ref first);
                }

                atStart = first;
            }

            var head = messages[start];
            var isSummary = end - start == 1 && head.IsChatReductionSummary();
            groups.Add(new ChatReductionGroup(
                start,
                end,
                tokens,
                tokensAtStart,
                Mandatory: start < leading || pinned,
                StartsUserTurn: head.Role == ChatRole.User && !isSummary,
                isSummary));
            start = end;
        }

        return groups;
    }

    /// <summary>
    /// Cuts a history to <paramref name="budget"/> prompt tokens (evicting down to <paramref name="target"/> at each
    /// step), keeping system and pinned messages and whole tool-call groups.
    /// </summary>
    /// <returns>The kept messages (the same list when nothing was cut) and their prompt tokens.</returns>
    /// <exception cref="Llama4ChatReductionException">The mandatory messages and the newest group alone exceed the budget.</exception>
    public static (IReadOnlyList<ChatMessage> Messages, int Tokens) Truncate(IReadOnlyList<ChatMessage> messages, Llama4ChatTokenCounter counter, int budget, int target)
    {
        var groups = Group(messages, counter);
        var leading = CountLeadingSystemGroups(groups, messages);
        var plan = Plan(groups, leading, counter.PromptOverheadTokens, budget, target, summaryReserve: 0);
        if (plan.Tokens > budget)
        {
            throw new Llama4ChatReductionException(plan.Tokens, budget);
        }

        if (plan.Steps.Count == 0)
        {
            return (messages, plan.Tokens);
        }

        var kept = new List<ChatMessage>(messages.Count);
        for (var g = 0; g < groups.Count; g++)
        {
            if (g >= plan.Cut || groups[g].Mandatory)
            {
                for (var i = groups[g].Start; i < groups[g].End; i++)
                {
                    kept.Add(messages[i]);
                }
            }
        }

        return (kept, plan.Tokens);
    }

    /// <summary>The number of leading system groups (one message each); the first evictable group comes after them.</summary>
    public static int CountLeadingSystemGroups(IReadOnlyList<ChatReductionGroup> groups, IReadOnlyList<ChatMessage> messages)
    {
        var count = 0;
        while (count < groups.Count && messages[groups[count].Start].Role == ChatRole.System)
        {
            count++;
        }

        return count;
    }

    /// <summary>Replays the history and returns where to cut it.</summary>
    /// <param name="groups">The history's groups.</param>
    /// <param name="leadingGroups">How many groups at the start are leading system messages.</param>
    /// <param name="overhead">The prompt's fixed tokens (BOS and the assistant header).</param>
    /// <param name="budget">The most tokens the reduced prompt may have.</param>
    /// <param name="target">The tokens an eviction reduces the prompt to.</param>
    /// <param name="summaryReserve">Tokens reserved for a summary once something is evicted (0: no summary).</param>
    public static ChatReductionPlan Plan(IReadOnlyList<ChatReductionGroup> groups, int leadingGroups, int overhead, int budget, int target, int summaryReserve)
    {
        var firstMandatory = -1;
        for (var i = 0; i < groups.Count && firstMandatory < 0; i++)
        {
            firstMandatory = groups[i].Mandatory ? i : -1;
        }

        var steps = new List<int>();
        var cut = leadingGroups;
        var summarized = false;
        var kept = overhead; // every kept group counted as "not first"; Exact() corrects for the first one
        var total = overhead;
        for (var g = 0; g < groups.Count; g++)
        {
            kept += groups[g].Tokens;
            total = Exact(kept, cut, summarized);
            if (g < leadingGroups || total <= budget)
            {
                continue;
            }

            var extra = summaryReserve > 0 && !summarized ? summaryReserve : 0;
            var next = cut;
            var freed = 0;
            while (next < g && Exact(kept - freed + extra, next, summarized || extra > 0) > target)
            {
                freed += groups[next].Mandatory ? 0 : groups[next].Tokens;
                next++;
            }

            // Start the kept part at a user turn when one begins before the newest group, rather than with a reply
            // whose question is gone.
            if (next < g && !groups[next].StartsUserTurn)
            {
                var user = next + 1;
                while (user <= g && !groups[user].StartsUserTurn)
                {
                    user++;
                }

                for (; user <= g && next < user; next++)
                {
                    freed += groups[next].Mandatory ? 0 : groups[next].Tokens;
                }
            }

            if (freed > 0)
            {
                kept = kept - freed + extra;
                summarized |= extra > 0;
                steps.Add(next);
            }

            cut = next;
            total = Exact(kept, cut, summarized);
        }

        return new ChatReductionPlan(cut, steps, total);

        // The first kept group renders the prompt's first turn: count it as such. With a summary and no leading
        // system message, the summary (a user turn, the same either way) comes first.
        int Exact(int keptTokens, int cutAt, bool withSummary)
        {
            var first = firstMandatory >= 0 && firstMandatory < cutAt ? firstMandatory : cutAt;
            if (first >= groups.Count || (withSummary && leadingGroups == 0))
            {
                return keptTokens;
            }

            return keptTokens - groups[first].Tokens + groups[first].TokensAtStart;
        }
    }
}
