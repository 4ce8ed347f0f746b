using Llama4.Testing;

namespace Llama4.Core.Tests;

/// <summary>Admission into the KV cache: an idle cached sequence never blocks a request that fits the context.</summary>
public sealed class Llama4EngineAdmissionTests
{
    [Fact]
    public async Task GenerateAsync_IdleForkSourceHoldsAlmostEveryCell_NextRequestIsAdmitted()
    {
        var options = EngineFixture.CreateOptions(TinyModelFiles.Default);
        options.ContextSize = 2048;
        options.MaxParallelSequences = 2;
        await using var engine = await Llama4Engine.LoadAsync(options, cancellationToken: TestContext.Current.CancellationToken);
        const string System = "You answer questions about a long document.";
        var first = PromptOf(engine, System, "Alpha", 1800);
        var second = PromptOf(engine, System, "Zulu", 600);

        // The first conversation stays cached (idle) with about 1,800 of the 2,048 cells. The second shares only the
        // preamble with it, so it is placed as a fork of it and needs more cells than are free.
        await GenerationResult.CollectAsync(engine, new Llama4GenerationRequest(first) { MaxOutputTokens = 1 }, TestContext.Current.CancellationToken);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        var result = await GenerationResult.CollectAsync(engine, new Llama4GenerationRequest(second) { MaxOutputTokens = 2 }, timeout.Token);

        Assert.Equal(engine.CountTokens(second), result.Usage.PromptTokens);
        Assert.True(result.Usage.CachedPromptTokens > 0, "the shared preamble is reused");
        var statistics = engine.GetStatistics();
        Assert.Equal(0, statistics.QueuedRequests);
        Assert.True(statistics.EvictedSequences >= 1, "the first conversation's tail gave its cells back");
    }

    private static Llama4Prompt PromptOf(Llama4Engine engine, string system, string word, int tokens)
    {
        var text = new System.Text.StringBuilder(word);
        var index = 0;
        while (engine.CountTokens(text.ToString()) < tokens)
        {
            text.Append(' ').Append(word).Append(index++ % 97);
        }

        return Llama4PromptFormatter.Format([new Llama4Message(Llama4Role.System, system), new Llama4Message(Llama4Role.User, text.ToString())]);
    }
}
