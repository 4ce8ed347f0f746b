using Microsoft.Extensions.AI;

namespace Llama4.Extensions.AI.Tests.ChatReduction;

/// <summary>Structural checks every reduced history must pass.</summary>
internal static class ReductionAssert
{
    /// <summary>Every call answered in <paramref name="original"/> appears in <paramref name="reduced"/> exactly when its results do.</summary>
    public static void ToolPairsIntact(IReadOnlyList<ChatMessage> original, IReadOnlyList<ChatMessage> reduced)
    {
        var answered = original.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Select(r => r.CallId).ToHashSet(StringComparer.Ordinal);
        var calls = reduced.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Select(c => c.CallId).ToHashSet(StringComparer.Ordinal);
        var results = reduced.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Select(r => r.CallId).ToHashSet(StringComparer.Ordinal);
        foreach (var result in results)
        {
            Assert.True(calls.Contains(result), $"The result of call {result} was kept without its call.");
        }

        foreach (var call in calls.Where(answered.Contains))
        {
            Assert.True(results.Contains(call), $"Call {call} was kept without its result.");
        }
    }

    /// <summary>The reduced history holds original messages (the same instances) in their original order, except summaries.</summary>
    public static void IsOrderedSubsetOf(IReadOnlyList<ChatMessage> original, IReadOnlyList<ChatMessage> reduced)
    {
        var position = -1;
        foreach (var message in reduced.Where(m => !m.IsChatReductionSummary()))
        {
            var found = -1;
            for (var i = position + 1; i < original.Count; i++)
            {
                if (ReferenceEquals(original[i], message))
                {
                    found = i;
                    break;
                }
            }

            Assert.True(found > position, "The reduced history holds a message that is not in the original, or out of order.");
            position = found;
        }
    }

    public static bool StartsWith(IReadOnlyList<ChatMessage> list, IReadOnlyList<ChatMessage> prefix) =>
        list.Count >= prefix.Count && prefix.Select((m, i) => ReferenceEquals(m, list[i]) || (m.IsChatReductionSummary() && list[i].IsChatReductionSummary() && m.Text == list[i].Text)).All(same => same);
}
