using Llama4.Core;
using Llama4.Testing;

namespace Samples.Tests.Orchestration;

/// <summary>The orchestration sample's workflow end to end on the tiny model, with and without KV reuse.</summary>
public sealed class OrchestrationTests
{
    [Fact]
    public async Task RunAsync_TwoTicketsOnOneEngine_EveryAgentRunsAndReuseDecodesFewerPromptTokens()
    {
        var withReuse = await RunAsync(reuse: true);
        var withoutReuse = await RunAsync(reuse: false);

        foreach (var run in new[] { withReuse, withoutReuse })
        {
            Assert.Equal(2, run.Tickets.Count);

            // Triage must hand off (its tool mode requires a call), so every ticket reaches a specialist, then the review.
            Assert.All(run.Tickets, t => Assert.Contains(t.Specialist, new[] { "billing", "technical", "returns" }));
            var agents = run.Turns.Select(t => t.Agent).ToHashSet();
            Assert.Contains("triage", agents);
            Assert.Contains("reviewer", agents);
            Assert.Contains("editor", agents);
            Assert.True(run.Turns.Count >= 8, $"{run.Turns.Count} model calls");
        }

        // The shared preamble and each agent's instructions and tools are decoded once: every call of a primed agent
        // finds them in the cache, and the run decodes fewer prompt tokens than the one without reuse.
        Assert.All(withReuse.Turns.Where(t => t.Agent != "triage"), t => Assert.True(t.CachedTokens > t.PromptTokens / 2, $"{t.Agent}: {t.CachedTokens} of {t.PromptTokens} cached"));
        Assert.All(withoutReuse.Turns, t => Assert.Equal(0, t.CachedTokens));
        Assert.Equal(0, withoutReuse.PromptTokensReused);
        Assert.True(withReuse.PromptTokensDecoded < withoutReuse.PromptTokensDecoded, $"{withReuse.PromptTokensDecoded} vs {withoutReuse.PromptTokensDecoded}");
    }

    private static async Task<RunResult> RunAsync(bool reuse)
    {
        var options = EngineFixture.CreateOptions(TinyModelFiles.Default);
        options.ContextSize = 65536;
        options.MaxParallelSequences = 16;
        options.UnifiedKvCache = false;
        options.ReuseKvCache = reuse;
        await using var engine = await Llama4Engine.LoadAsync(options, cancellationToken: TestContext.Current.CancellationToken);
        return await global::Orchestration.RunAsync(engine, ticketCount: 2, maxOutputTokens: 8, TestContext.Current.CancellationToken);
    }
}
