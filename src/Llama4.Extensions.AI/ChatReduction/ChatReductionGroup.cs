namespace Llama4.Extensions.AI.ChatReduction;

/// <summary>
/// Messages that are kept or evicted together: one message, or an assistant message with tool calls together with
/// every message up to the last result of those calls.
/// </summary>
/// <param name="Start">The index of the group's first message.</param>
/// <param name="End">The index after the group's last message.</param>
/// <param name="Tokens">The group's tokens when some earlier message has rendered a turn.</param>
/// <param name="TokensAtStart">The group's tokens when it renders the prompt's first turn (a system turn is trimmed there).</param>
/// <param name="Mandatory">Whether the group is never evicted: a leading system message, or a group holding a pinned message.</param>
/// <param name="StartsUserTurn">Whether the group starts with a user message (not a summary): a clean place to start the kept part.</param>
/// <param name="IsSummary">Whether the group is one summary message written by a summarizing reducer.</param>
internal sealed record ChatReductionGroup(int Start, int End, int Tokens, int TokensAtStart, bool Mandatory, bool StartsUserTurn, bool IsSummary);
