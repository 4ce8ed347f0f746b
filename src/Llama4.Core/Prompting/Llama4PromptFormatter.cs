namespace Llama4.Core;

/// <summary>
/// Formats conversations in the Llama 4 instruct layout, as Meta's chat template renders it:
/// <c>&lt;|begin_of_text|&gt;</c>, then for each message <c>&lt;|header_start|&gt;{role}&lt;|header_end|&gt;\n\n{content}&lt;|eot|&gt;</c>,
/// then the generation prompt <c>&lt;|header_start|&gt;assistant&lt;|header_end|&gt;\n\n</c>.
/// </summary>
/// <remarks>
/// A system message in first position is trimmed, as Meta's template does; every other message is rendered verbatim.
/// Tool-result messages use the <c>ipython</c> role.
/// </remarks>
public static class Llama4PromptFormatter
{
    private static readonly Llama4PromptSegment Bos = new(Llama4SpecialTokens.BeginOfText, true);
    private static readonly Llama4PromptSegment HeaderStart = new(Llama4SpecialTokens.HeaderStart, true);
    private static readonly Llama4PromptSegment HeaderEnd = new(Llama4SpecialTokens.HeaderEnd, true);
    private static readonly Llama4PromptSegment EndOfTurn = new(Llama4SpecialTokens.EndOfTurn, true);

    /// <summary>Formats a conversation.</summary>
    /// <param name="messages">The messages in order.</param>
    /// <param name="addGenerationPrompt">Whether to end with the assistant header that asks the model to answer.</param>
    /// <returns>The formatted prompt.</returns>
    public static Llama4Prompt Format(IEnumerable<Llama4Message> messages, bool addGenerationPrompt = true)
    {
        ArgumentNullException.ThrowIfNull(messages);

        var segments = new List<Llama4PromptSegment> { Bos };
        var first = true;
        foreach (var message in messages)
        {
            ArgumentNullException.ThrowIfNull(message);
            var content = first && message.Role == Llama4Role.System ? message.Content.Trim() : message.Content;
            AppendTurn(segments, RoleName(message.Role), content);
            first = false;
        }

        if (addGenerationPrompt)
        {
            AppendHeader(segments, "assistant");
        }

        return new Llama4Prompt(segments);
    }

    internal static string RoleName(Llama4Role role) => role switch
    {
        Llama4Role.System => "system",
        Llama4Role.User => "user",
        Llama4Role.Assistant => "assistant",
        Llama4Role.IPython => "ipython",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown Llama 4 role."),
    };

    private static void AppendTurn(List<Llama4PromptSegment> segments, string role, string content)
    {
        AppendHeader(segments, role, content);
        segments.Add(EndOfTurn);
    }

    // The header's "\n\n" and the content form ONE text segment: tokenizing them together is what tokenizing the
    // whole rendered string does (special tokens split pre-tokenization; plain text between them does not).
    private static void AppendHeader(List<Llama4PromptSegment> segments, string role, string content = "")
    {
        segments.Add(HeaderStart);
        segments.Add(new Llama4PromptSegment(role, false));
        segments.Add(HeaderEnd);
        segments.Add(new Llama4PromptSegment("\n\n" + content, false));
    }
}
