namespace Llama4.Benchmarks.Subjects;

/// <summary>The contenders' names, as the report shows them.</summary>
internal static class SubjectNames
{
    public const string Client = "Llama4ChatClient";

    public const string Engine = "Llama4Engine.GenerateAsync (no IChatClient layer)";

    public const string ClientFlashAttention = "Llama4ChatClient, flash attention ON";

    public const string ClientBatchThreads = "Llama4ChatClient, BatchThreads = all cores";

    public const string Raw = "raw BatchedExecutor loop";

    public const string RawSeparateKv = "raw BatchedExecutor loop, KV stream per sequence";

    public const string LLamaSharpShared = "LLamaSharp AsChatClient (one instance)";

    public const string LLamaSharpPerRequest = "LLamaSharp AsChatClient, executor per request";

    // Constrained-generation suite. Each constrained contender has a free-text twin with the same prompt tokens.
    public const string EngineFree = "engine, free text";

    public const string EngineJson = "engine, JSON schema (JsonResponse)";

    public const string EngineToolPromptFree = "engine, tool prompt, free text";

    public const string EngineRequiredTool = "engine, required tool call";

    public const string ClientFree = "Llama4ChatClient, free text";

    public const string ClientJson = "Llama4ChatClient, JSON schema (ResponseFormat)";

    public const string ClientToolsAuto = "Llama4ChatClient, tools offered (Auto)";

    public const string ClientRequiredTool = "Llama4ChatClient, required tool call (RequireAny)";

    // Context suite: the next turn of a long conversation.
    public const string ContextReuse = "Llama4ChatClient, KV cache reused";

    public const string ContextFull = "Llama4ChatClient, ReuseKvCache = false";

    public const string ContextFullFlash = "Llama4ChatClient, ReuseKvCache = false, flash attention ON";

    public const string ContextLLamaSharp = "LLamaSharp AsChatClient (StatelessExecutor)";

    public const string ContextPrefill = "Llama4ChatClient, 128k context, flash attention ON";

    // Sampling suite (real vocabulary).
    public const string SamplingDefault = "Llama4ChatClient, Meta's defaults (temperature 0.6, top-p 0.9)";

    public const string SamplingTopK = "Llama4ChatClient, top-k 40 then top-p 0.9";

    public const string SamplingGreedy = "Llama4ChatClient, greedy (temperature 0)";

    public const string SamplingJson = "Llama4ChatClient, JSON schema (ResponseFormat)";

    public const string SamplingToolsAuto = "Llama4ChatClient, tools offered (Auto), free text";

    public const string SamplingRequiredTool = "Llama4ChatClient, required tool call (RequireAny)";

    public const string SamplingDefaultAllCores = "Llama4ChatClient, Meta's defaults, SamplingThreads = all cores";

    public const string SamplingJsonAllCores = "Llama4ChatClient, JSON schema, SamplingThreads = all cores";

    public const string RawDefault = "raw LLamaSharp loop, DefaultSamplingPipeline, Meta's defaults";

    public const string RawTopK = "raw LLamaSharp loop, DefaultSamplingPipeline, top-k 40";

    public const string RawGreedy = "raw LLamaSharp loop, DefaultSamplingPipeline, greedy";

    public const string RawJson = "raw LLamaSharp loop, DefaultSamplingPipeline, JSON schema";
}
