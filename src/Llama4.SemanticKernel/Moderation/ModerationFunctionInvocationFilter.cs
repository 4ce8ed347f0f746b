using Llama4.Moderation;
using Microsoft.SemanticKernel;

namespace Llama4.SemanticKernel.Moderation;

/// <summary>
/// Semantic Kernel function-invocation filter: moderates the arguments of every kernel function invocation before the
/// function runs (redacted in place; a block skips the function and returns
/// <see cref="ModerationOptions.BlockedToolCallText"/>) and its result after it (redacted, or replaced with
/// <see cref="ModerationOptions.WithheldToolResultText"/>). Streaming results are not checked.
/// </summary>
/// <remarks>
/// It fires for every invocation, including prompt functions (whose arguments are template inputs and whose result is
/// the model's answer) and functions called directly. For tool calls the model requests, prefer
/// <see cref="ModerationAutoFunctionInvocationFilter"/>; registering both checks auto-invoked calls twice.
/// Not registered by <c>AddLlama4Moderation()</c> on the kernel builder: add it with
/// <c>builder.Services.AddSingleton&lt;IFunctionInvocationFilter, ModerationFunctionInvocationFilter&gt;()</c>.
/// </remarks>
/// <param name="guard">The moderator with its policy.</param>
public sealed class ModerationFunctionInvocationFilter(ModerationGuard guard) : IFunctionInvocationFilter
{
    /// <inheritdoc />
    public async Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var blocked = await KernelModeration.CheckArgumentsAsync(guard, context.Function, context.Arguments, [], context.CancellationToken).ConfigureAwait(false);
        if (blocked is not null)
        {
            context.Result = blocked;
            return;
        }

        await next(context).ConfigureAwait(false);
        if (!context.IsStreaming && await KernelModeration.CheckResultAsync(guard, context.Result, [], context.CancellationToken).ConfigureAwait(false) is { } replaced)
        {
            context.Result = replaced;
        }
    }
}
