using System.Text;
using Llama4.Core;

namespace Llama4.Testing;

/// <summary>A whole generation collected from the engine's stream.</summary>
public sealed record GenerationResult(string Text, Llama4FinishReason FinishReason, Llama4GenerationUsage Usage, int UpdateCount, int TokensInUpdates)
{
    /// <summary>Runs a request to the end and collects it.</summary>
    public static async Task<GenerationResult> CollectAsync(Llama4Engine engine, Llama4GenerationRequest request, CancellationToken cancellationToken = default)
    {
        var text = new StringBuilder();
        var updates = 0;
        var tokens = 0;
        Llama4GenerationUpdate? last = null;
        await foreach (var update in engine.GenerateAsync(request, cancellationToken))
        {
            text.Append(update.Text);
            updates++;
            tokens += update.TokenCount;
            last = update;
        }

        if (last is not { FinishReason: { } reason, Usage: { } usage })
        {
            throw new InvalidOperationException("The generation ended without a final update.");
        }

        return new GenerationResult(text.ToString(), reason, usage, updates, tokens);
    }
}
