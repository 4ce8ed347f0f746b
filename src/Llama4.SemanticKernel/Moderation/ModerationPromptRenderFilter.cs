using Llama4.Moderation;
using Microsoft.SemanticKernel;

namespace Llama4.SemanticKernel.Moderation;

/// <summary>
/// Semantic Kernel prompt-render filter: moderates the rendered prompt of a prompt function (as user content) before
/// it is sent. A redaction replaces the rendered prompt; a block skips the AI call and returns
/// <see cref="ModerationOptions.BlockedInputText"/> as the function's result (with the categories in its metadata), or
/// throws <see cref="ContentModeratedException"/> when <see cref="ModerationOptions.ThrowOnBlock"/> is set.
/// </summary>
/// <remarks>
/// It fires for prompt functions only (<c>InvokePromptAsync</c>, functions from prompt templates), not for direct
/// chat-completion or agent calls: moderate those with <c>UseLlama4Moderation()</c> in the chat client pipeline. The
/// whole rendered prompt is checked, including the template's own text.
/// </remarks>
/// <param name="guard">The moderator with its policy.</param>
public sealed class ModerationPromptRenderFilter(ModerationGuard guard) : IPromptRenderFilter
{
    /// <inheritdoc />
    public async Task OnPromptRenderAsync(PromptRenderContext context, Func<PromptRenderContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        await next(context).ConfigureAwait(false);
        if (!guard.Options.CheckInput || context.Result is not null || string.IsNullOrEmpty(context.RenderedPrompt))
        {
            return;
        }

        var verdict = await guard.CheckAsync(new ModerationRequest(context.RenderedPrompt, ModerationSource.User), context.CancellationToken).ConfigureAwait(false);
        switch (verdict.Action)
        {
            case ModerationAction.Block:
                KernelModeration.ThrowIfAsked(guard, ModerationSource.User, verdict);
                context.Result = new FunctionResult(context.Function, guard.Options.BlockedInputText, metadata: KernelModeration.Describe(ModerationSource.User, verdict));
                break;
            case ModerationAction.Redact:
                context.RenderedPrompt = verdict.RedactedText;
                break;
        }
    }
}
