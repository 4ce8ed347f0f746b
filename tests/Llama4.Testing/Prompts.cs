using Llama4.Core;

namespace Llama4.Testing;

/// <summary>Small prompts for tests.</summary>
public static class Prompts
{
    /// <summary>A one-turn conversation with a system message.</summary>
    public static Llama4Prompt Hello(string user = "Hello, who are you?") => Llama4PromptFormatter.Format(
    [
        new Llama4Message(Llama4Role.System, "You are a helpful assistant."),
        new Llama4Message(Llama4Role.User, user),
    ]);

    /// <summary>A request with a fixed seed and output limit.</summary>
    public static Llama4GenerationRequest Seeded(long seed, int? maxOutputTokens = 24, string user = "Hello, who are you?") => new(Hello(user))
    {
        Sampling = new Llama4SamplingOptions { Seed = seed },
        MaxOutputTokens = maxOutputTokens,
    };
}
