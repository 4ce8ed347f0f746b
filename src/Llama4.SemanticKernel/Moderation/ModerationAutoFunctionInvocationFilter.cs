using Llama4.Moderation;
using Microsoft.SemanticKernel;

namespace Llama4.SemanticKernel.Moderation;

/// <summary>
/// Semantic Kernel auto-function-invocation filter: the tool rail for calls the model requests. It moderates the
/// call's arguments before the function runs (redacted in place; a block skips the function and reports
/// <see cref="ModerationOptions.BlockedToolCallText"/> to the model) and the result before the model reads it
/// (redacted, or replaced with <see cref="ModerationOptions.WithheldToolResultText"/>). With
/// <see cref="ModerationOptions.ThrowOnBlock"/> set, a block throws <see cref="ContentModeratedException"/> instead.
/// </summary>
/// <param name="guard">The moderator with its policy.</param>
public sealed class ModerationAutoFunctionInvocationFilter(ModerationGuard guard) : IAutoFunctionInvocationFilter
{
    /// <inheritdoc />
    public async Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var history = KernelModeration.History(context.ChatHistory);
        var blocked = await KernelModeration.CheckArgumentsAsync(guard, context.Function, context.Arguments, history, context.CancellationToken).ConfigureAwait(false);
        if (blocked is not null)
        {
            context.Result = blocked;
            return;
        }

        await next(context).ConfigureAwait(false);
        if (await KernelModeration.CheckResultAsync(guard, context.Result, history, context.CancellationToken).ConfigureAwait(false) is { } replaced)
        {
            context.Result = replaced;
        }
    }
}
