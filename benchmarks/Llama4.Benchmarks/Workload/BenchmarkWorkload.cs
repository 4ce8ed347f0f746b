using Llama4.Core;
using LLama.Native;
using Microsoft.Extensions.AI;

namespace Llama4.Benchmarks.Workload;

/// <summary>
/// The request every contender serves: a fixed system + user prompt, a fixed output limit, and a fixed seed per
/// request index (request i of a burst uses <c>BaseSeed + i</c>, so every contender samples with the same seeds).
/// </summary>
internal sealed class BenchmarkWorkload
{
    public const string SystemPrompt = "You are a concise assistant for .NET developers.";

    public const string UserPrompt =
        "Explain in three short sentences why decoding many sequences together in one batch raises the total " +
        "number of tokens per second on memory-bound hardware, and what it costs a single request.";

    public const long BaseSeed = 42;

    public BenchmarkWorkload(Llama4Engine engine, int maxOutputTokens, BenchmarkSampling sampling)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var prompt = Llama4PromptFormatter.Format(Llama4Messages);
        PromptText = prompt.ToString();
        PromptTokens = engine.TokenizePrompt(prompt);
        MaxOutputTokens = maxOutputTokens;
        Sampling = sampling;
    }

    /// <summary>The messages as Microsoft.Extensions.AI callers send them.</summary>
    public static IReadOnlyList<ChatMessage> Messages { get; } =
        [new ChatMessage(ChatRole.System, SystemPrompt), new ChatMessage(ChatRole.User, UserPrompt)];

    /// <summary>The same messages in the engine's own types.</summary>
    public static IReadOnlyList<Llama4Message> Llama4Messages { get; } =
        [new Llama4Message(Llama4Role.System, SystemPrompt), new Llama4Message(Llama4Role.User, UserPrompt)];

    /// <summary>The rendered Llama 4 prompt (special tokens as text), what a raw LLamaSharp user would tokenize.</summary>
    public string PromptText { get; }

    /// <summary>Exactly the tokens Llama4ChatClient decodes for <see cref="Messages"/>.</summary>
    public LLamaToken[] PromptTokens { get; }

    public int MaxOutputTokens { get; }

    public BenchmarkSampling Sampling { get; }

    /// <summary>A single-request context for LLamaSharp's executors: prompt plus output, rounded up to 256 cells.</summary>
    public int SingleRequestContextSize => (PromptTokens.Length + MaxOutputTokens + 8 + 255) / 256 * 256;

    public static long SeedFor(int requestIndex) => BaseSeed + requestIndex;
}
