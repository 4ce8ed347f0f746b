namespace Llama4.Extensions.AI;

/// <summary>Keys of the counts that <see cref="Llama4ChatClient"/> adds to <c>UsageDetails.AdditionalCounts</c>: timings in milliseconds, and the image tokens of the input.</summary>
public static class Llama4UsageCounts
{
    /// <summary>Time the request waited for a free sequence and context room.</summary>
    public const string QueueMilliseconds = "llama4.queue_ms";

    /// <summary>Prompt processing time: from admission to the first sampled token.</summary>
    public const string PromptMilliseconds = "llama4.prompt_ms";

    /// <summary>Generation time: from the first to the last sampled token.</summary>
    public const string GenerationMilliseconds = "llama4.generation_ms";

    /// <summary>Time to first token: queue plus prompt time.</summary>
    public const string TimeToFirstTokenMilliseconds = "llama4.time_to_first_token_ms";

    /// <summary>Of <see cref="Microsoft.Extensions.AI.UsageDetails.InputTokenCount"/>, the tokens the request's images took.</summary>
    public const string ImageInputTokens = "llama4.image_input_tokens";
}
