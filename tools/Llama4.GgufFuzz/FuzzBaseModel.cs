using Llama4.TinyModel;

namespace Llama4.GgufFuzz;

/// <summary>The model every fuzzed file starts from: a small tiny llama4 model, so that writing and loading stay cheap.</summary>
public static class FuzzBaseModel
{
    /// <summary>
    /// Four layers of width 64 (two heads of 32, one KV head), four experts of width 64 on every other layer, a dense
    /// FFN of 128, 100 merges (1,500 tokens with the Llama 4 specials), a 4,096-token training context: about 450 KB.
    /// </summary>
    public static TinyModelOptions Options { get; } = new()
    {
        ModelName = "llama4-fuzz-base",
        EmbeddingLength = 64,
        HeadCount = 2,
        KvHeadCount = 1,
        FeedForwardLength = 128,
        ExpertFeedForwardLength = 64,
        ExpertCount = 4,
        MergeCount = 100,
        ContextLength = 4096,
    };

    /// <summary>The base model's bytes.</summary>
    /// <returns>The GGUF file.</returns>
    public static byte[] Write() => TinyModelWriter.WriteToArray(Options);
}
