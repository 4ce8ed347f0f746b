using LLama;
using LLama.Abstractions;
using Microsoft.Extensions.AI;

namespace Llama4.Benchmarks.Subjects;

/// <summary>Builds LLamaSharp's own <see cref="IChatClient"/> the way its users do, with a token counter on its output.</summary>
internal static class LLamaSharpChatClients
{
    /// <summary>The anti-prompts <c>AsChatClient()</c> installs by default.</summary>
    public static readonly string[] AntiPrompts = ["User:", "Assistant:", "System:"];

    /// <summary>
    /// <c>executor.AsChatClient()</c> with its default history transform (<c>User:</c>/<c>Assistant:</c> text) and its
    /// default output transform (the anti-prompt filter), wrapped in <paramref name="counter"/>.
    /// </summary>
    public static IChatClient Create(ILLamaExecutor executor, out TokenCountingTransform counter)
    {
        counter = new TokenCountingTransform(new LLamaTransforms.KeywordTextOutputStreamTransform(AntiPrompts));
        return executor.AsChatClient(historyTransform: null, outputTransform: counter);
    }
}
