using System.Text;
using Llama4.Core;
using Microsoft.Extensions.AI;

namespace Llama4.Moderation;

/// <summary>Meta's Llama Guard 4 prompt, the grammar of its verdict, and the verdict parser.</summary>
internal static class LlamaGuardPrompt
{
    /// <summary>Builds the text of the single user turn Llama Guard reads.</summary>
    /// <param name="categories">The categories to list.</param>
    /// <param name="history">Earlier user/assistant turns (role, text), oldest first.</param>
    /// <param name="text">The text judged.</param>
    /// <param name="agent">Whether the text is the assistant's (<c>Agent</c>) rather than the user's (<c>User</c>).</param>
    public static string Build(IReadOnlyList<LlamaGuardCategory> categories, IReadOnlyList<(bool Agent, string Text)> history, string text, bool agent)
    {
        var role = agent ? "Agent" : "User";
        var builder = new StringBuilder();
        builder.Append("Task: Check if there is unsafe content in '").Append(role)
            .Append("' messages in conversations according to our safety policy with the below categories.\n\n")
            .Append("<BEGIN UNSAFE CONTENT CATEGORIES>\n");
        foreach (var category in categories)
        {
            builder.Append(category.Code).Append(": ").Append(category.Description.Trim()).Append('\n');
        }

        builder.Append("<END UNSAFE CONTENT CATEGORIES>\n\n<BEGIN CONVERSATION>\n\n");
        foreach (var (isAgent, turn) in history)
        {
            AppendTurn(builder, isAgent, turn);
        }

        AppendTurn(builder, agent, text);
        builder.Append("<END CONVERSATION>\n\n")
            .Append("Provide your safety assessment for ONLY THE LAST ").Append(role).Append(" message in the above conversation:\n")
            .Append("- First line must read 'safe' or 'unsafe'.\n")
            .Append("- If unsafe, a second line must include a comma-separated list of violated categories.");
        return builder.ToString();
    }

    private static void AppendTurn(StringBuilder builder, bool agent, string text) =>
        builder.Append(agent ? "Agent: " : "User: ").Append(text.Trim()).Append("\n\n");

    /// <summary>The user and assistant texts of a history, as Llama Guard turns.</summary>
    public static List<(bool Agent, string Text)> Turns(IReadOnlyList<ChatMessage> history, int max)
    {
        var turns = new List<(bool Agent, string Text)>();
        for (var i = history.Count - 1; i >= 0 && turns.Count < max; i--)
        {
            var message = history[i];
            if ((message.Role == ChatRole.User || message.Role == ChatRole.Assistant) && !string.IsNullOrWhiteSpace(message.Text))
            {
                turns.Add((message.Role == ChatRole.Assistant, message.Text));
            }
        }

        turns.Reverse();
        return turns;
    }

    /// <summary>
    /// The verdict grammar: exactly <c>safe</c>, or <c>unsafe</c>, a line break and one to all of the listed codes
    /// separated by commas.
    /// </summary>
    public static Llama4Grammar Grammar(IReadOnlyList<LlamaGuardCategory> categories)
    {
        var codes = string.Join(" | ", categories.Select(c => $"\"{c.Code}\""));
        var more = categories.Count > 1 ? $" (\",\" code){{0,{categories.Count - 1}}}" : string.Empty;
        return new Llama4Grammar($"root ::= \"safe\" | \"unsafe\\n\" code{more}\ncode ::= {codes}\n");
    }

    /// <summary>The most tokens a complete verdict can take (every token holds at least one character), plus the end of turn.</summary>
    public static int MaxVerdictTokens(IReadOnlyList<LlamaGuardCategory> categories) =>
        "unsafe\n".Length + categories.Sum(c => c.Code.Length + 1) + 1;

    /// <summary>Parses a verdict; throws when it is not one (the grammar makes that a bug, never a model choice).</summary>
    public static ModerationVerdict Parse(string output, IReadOnlyList<LlamaGuardCategory> categories)
    {
        if (output == "safe")
        {
            return ModerationVerdict.Allowed;
        }

        const string Unsafe = "unsafe\n";
        if (!output.StartsWith(Unsafe, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Llama Guard's answer is not a verdict (expected 'safe' or 'unsafe' and categories; got {output.Length} characters).");
        }

        var byCode = categories.ToDictionary(c => c.Code, StringComparer.Ordinal);
        var findings = new List<ModerationFinding>();
        foreach (var code in output[Unsafe.Length..].Split(',').Distinct(StringComparer.Ordinal))
        {
            if (!byCode.TryGetValue(code, out var category))
            {
                throw new InvalidOperationException($"Llama Guard answered with a category that was not listed ({code.Length} characters).");
            }

            findings.Add(new ModerationFinding(category.Category, 1, category.Code));
        }

        return ModerationVerdict.Block(findings);
    }
}
