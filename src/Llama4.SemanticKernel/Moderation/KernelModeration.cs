using Llama4.Moderation;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Llama4.SemanticKernel.Moderation;

/// <summary>What the Semantic Kernel filters share: tool-call checks and the results that replace blocked content.</summary>
internal static class KernelModeration
{
    /// <summary>
    /// Checks a function's arguments (redacting them in place). Returns the result to report instead of running the
    /// function when they are blocked, or <see langword="null"/> to run it.
    /// </summary>
    public static async Task<FunctionResult?> CheckArgumentsAsync(
        ModerationGuard guard,
        KernelFunction function,
        KernelArguments? arguments,
        IReadOnlyList<ChatMessage> history,
        CancellationToken cancellationToken)
    {
        if (!guard.Options.CheckToolArguments || arguments is not { Count: > 0 })
        {
            return null;
        }

        var verdict = await guard.CheckToolArgumentsAsync(function.Name, arguments, history, cancellationToken).ConfigureAwait(false);
        if (verdict.Action != ModerationAction.Block)
        {
            return null;
        }

        ThrowIfAsked(guard, ModerationSource.ToolArguments, verdict);
        return new FunctionResult(function, guard.Options.BlockedToolCallText, metadata: Describe(ModerationSource.ToolArguments, verdict));
    }

    /// <summary>Checks a function's result; returns its replacement (redacted or withheld), or <see langword="null"/> to keep it.</summary>
    public static async Task<FunctionResult?> CheckResultAsync(
        ModerationGuard guard,
        FunctionResult result,
        IReadOnlyList<ChatMessage> history,
        CancellationToken cancellationToken)
    {
        if (!guard.Options.CheckToolResults || result.GetValue<object>() is not { } value)
        {
            return null;
        }

        var verdict = await guard.CheckToolResultAsync(value, result.Function.Name, history, cancellationToken).ConfigureAwait(false);
        switch (verdict.Action)
        {
            case ModerationAction.Block:
                ThrowIfAsked(guard, ModerationSource.ToolResult, verdict);
                return new FunctionResult(result.Function, guard.Options.WithheldToolResultText, result.Culture, Describe(ModerationSource.ToolResult, verdict));
            case ModerationAction.Redact:
                return new FunctionResult(result, verdict.RedactedText);
            default:
                return null;
        }
    }

    public static void ThrowIfAsked(ModerationGuard guard, ModerationSource source, ModerationVerdict verdict)
    {
        if (guard.Options.ThrowOnBlock)
        {
            throw new ContentModeratedException(source, verdict);
        }
    }

    public static Dictionary<string, object?> Describe(ModerationSource source, ModerationVerdict verdict) => new(StringComparer.Ordinal)
    {
        [ModerationProperties.Categories] = verdict.Categories.Select(c => c.ToString()).ToArray(),
        [ModerationProperties.BlockedSource] = source.ToString(),
    };

    /// <summary>The text turns of a Semantic Kernel chat history, as Microsoft.Extensions.AI messages (context for moderators).</summary>
    public static List<ChatMessage> History(ChatHistory? history) =>
        history is null ? [] : [.. history.Where(m => !string.IsNullOrEmpty(m.Content)).Select(m => new ChatMessage(new ChatRole(m.Role.Label), m.Content))];
}
