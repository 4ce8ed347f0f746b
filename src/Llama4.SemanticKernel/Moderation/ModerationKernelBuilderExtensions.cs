using Llama4.Moderation;
using Llama4.SemanticKernel.Moderation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.SemanticKernel;

/// <summary>Adds content moderation to a Semantic Kernel <see cref="IKernelBuilder"/>.</summary>
public static class ModerationKernelBuilderExtensions
{
    /// <summary>
    /// Registers content moderation (see <c>AddLlama4Moderation</c> on <see cref="IServiceCollection"/>) and the kernel
    /// filters that apply it: <see cref="ModerationPromptRenderFilter"/> (rendered prompts) and
    /// <see cref="ModerationAutoFunctionInvocationFilter"/> (tool calls the model requests). Chat and agent calls that
    /// do not render a prompt are moderated by <c>UseLlama4Moderation()</c> in the chat client pipeline (for example
    /// <c>AddLlama4ChatClient(..., configureClient: b =&gt; b.UseLlama4Moderation())</c>).
    /// </summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configure">Configures the moderation options; optional.</param>
    /// <returns>A builder to add moderators (<c>AddPiiDetection()</c>...).</returns>
    public static Llama4ModerationBuilder AddLlama4Moderation(this IKernelBuilder builder, Action<ModerationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var moderation = builder.Services.AddLlama4Moderation(configure);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IPromptRenderFilter, ModerationPromptRenderFilter>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IAutoFunctionInvocationFilter, ModerationAutoFunctionInvocationFilter>());
        return moderation;
    }
}
