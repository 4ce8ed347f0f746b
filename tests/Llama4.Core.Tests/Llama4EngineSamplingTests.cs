using System.Text.Json;
using Llama4.Testing;

namespace Llama4.Core.Tests;

/// <summary>The engine's own sampler on Llama 4's real 202,048-token vocabulary (the realvocab tiny model).</summary>
public sealed class Llama4EngineSamplingTests(RealVocabularyEngineFixture fixture) : IClassFixture<RealVocabularyEngineFixture>
{
    [Fact]
    public async Task GenerateAsync_SameSeed_GivesTheSameTokens()
    {
        // Every compared run starts from the same cached prompt: a first, uncached run differs in the last bits of its
        // logits (llama.cpp's arithmetic depends on the batch shape), which flat random logits turn into other tokens.
        await GenerationResult.CollectAsync(fixture.Engine, Prompts.Seeded(7, 1), TestContext.Current.CancellationToken);
        var first = await GenerationResult.CollectAsync(fixture.Engine, Prompts.Seeded(7, 24), TestContext.Current.CancellationToken);
        var second = await GenerationResult.CollectAsync(fixture.Engine, Prompts.Seeded(7, 24), TestContext.Current.CancellationToken);
        var other = await GenerationResult.CollectAsync(fixture.Engine, Prompts.Seeded(8, 24), TestContext.Current.CancellationToken);

        Assert.Equal(first.Text, second.Text);
        Assert.NotEqual(first.Text, other.Text);
    }

    [Fact]
    public async Task GenerateAsync_Greedy_IsReproducibleWithoutASeed()
    {
        var request = Prompts.Seeded(1, 16) with { Sampling = new Llama4SamplingOptions { Temperature = 0 } };
        await GenerationResult.CollectAsync(fixture.Engine, request with { MaxOutputTokens = 1 }, TestContext.Current.CancellationToken);

        var first = await GenerationResult.CollectAsync(fixture.Engine, request, TestContext.Current.CancellationToken);
        var second = await GenerationResult.CollectAsync(fixture.Engine, request, TestContext.Current.CancellationToken);

        Assert.Equal(first.Text, second.Text);
    }

    [Fact]
    public void GenerateAsync_SamplingOutOfRange_ThrowsNamingTheValue()
    {
        var request = Prompts.Seeded(1) with { Sampling = new Llama4SamplingOptions { TopP = 2f } };

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => fixture.Engine.GenerateAsync(request, TestContext.Current.CancellationToken));

        Assert.Contains("TopP is 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateAsync_Grammar_ConstrainsEveryToken()
    {
        for (var seed = 1; seed <= 3; seed++)
        {
            var request = Prompts.Seeded(seed, 16) with { Grammar = new Llama4Grammar("root ::= (\"yes\" | \"no\") \" \" [0-9]{1,3}") };

            var result = await GenerationResult.CollectAsync(fixture.Engine, request, TestContext.Current.CancellationToken);

            Assert.Matches("^(yes|no) [0-9]{1,3}$", result.Text);
            Assert.Equal(Llama4FinishReason.Stop, result.FinishReason);
        }
    }

    [Fact]
    public async Task GenerateAsync_JsonResponse_WritesJsonTheSchemaAllows()
    {
        using var schema = JsonDocument.Parse("""{"type":"object","properties":{"ok":{"type":"boolean"},"level":{"type":"integer","minimum":1,"maximum":3}},"required":["ok","level"],"additionalProperties":false}""");
        var request = Prompts.Seeded(3, 60) with { JsonResponse = new Llama4JsonResponse(schema.RootElement.Clone()) };

        var result = await GenerationResult.CollectAsync(fixture.Engine, request, TestContext.Current.CancellationToken);

        Assert.Equal(Llama4FinishReason.Stop, result.FinishReason);
        using var reply = JsonDocument.Parse(result.Text);
        Assert.True(reply.RootElement.GetProperty("ok").ValueKind is JsonValueKind.True or JsonValueKind.False);
        Assert.InRange(reply.RootElement.GetProperty("level").GetInt32(), 1, 3);
    }

    [Fact]
    public async Task GenerateAsync_RequiredToolCall_ReturnsTheCall()
    {
        var tools = new Llama4ToolOptions(
        [
            new Llama4ToolDefinition("set_mode", "Sets the mode", JsonDocument.Parse("""{"type":"object","properties":{"mode":{"type":"string","enum":["fast","slow"]}},"required":["mode"]}""").RootElement),
        ])
        { Mode = Llama4ToolMode.Required };
        var request = new Llama4GenerationRequest(Llama4PromptFormatter.Format([new Llama4Message(Llama4Role.User, "Go fast.")], tools))
        {
            Tools = tools,
            MaxOutputTokens = 120,
            Sampling = new Llama4SamplingOptions { Seed = 4 },
        };
        var calls = new List<Llama4ToolCall>();
        Llama4FinishReason? reason = null;

        await foreach (var update in fixture.Engine.GenerateAsync(request, TestContext.Current.CancellationToken))
        {
            calls.AddRange(update.ToolCalls);
            reason = update.FinishReason ?? reason;
        }

        Assert.Equal(Llama4FinishReason.ToolCalls, reason);
        var call = Assert.Single(calls);
        Assert.Equal("set_mode", call.Name);
        Assert.Contains(call.Arguments["mode"].GetString(), new[] { "fast", "slow" });
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void Validate_SamplingThreadsBelowOne_NamesTheOption(int threads)
    {
        var options = EngineFixture.CreateOptions(fixture.ModelPath);
        options.SamplingThreads = threads;

        Assert.Contains(options.Validate(), e => e.StartsWith("SamplingThreads is", StringComparison.Ordinal));
    }

    [Fact]
    public void DefaultSamplingThreads_LeavesLlamaCppItsThreads()
    {
        var cores = Environment.ProcessorCount;

        Assert.Equal(Math.Max(1, cores - Math.Max(cores / 2, 1)), Llama4EngineOptions.DefaultSamplingThreads(null, null));
        Assert.Equal(Math.Max(1, cores - cores), Llama4EngineOptions.DefaultSamplingThreads(1, cores));
        Assert.Equal(fixture.Engine.SamplingThreads, Llama4EngineOptions.DefaultSamplingThreads(fixture.Engine.Options.Threads, fixture.Engine.Options.BatchThreads));
    }

    [Fact]
    public async Task GenerateAsync_ConcurrentRequestsOnSeveralSamplingThreads_AllComplete()
    {
        var options = EngineFixture.CreateOptions(fixture.ModelPath);
        options.ContextSize = 4096;
        options.SamplingThreads = 4;
        await using var engine = await Llama4Engine.LoadAsync(options, cancellationToken: TestContext.Current.CancellationToken);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            GenerationResult.CollectAsync(engine, Prompts.Seeded(i, 12), TestContext.Current.CancellationToken)));

        Assert.Equal(4, engine.SamplingThreads);
        Assert.All(results, r => Assert.True(r.Usage.OutputTokens is > 0 and <= 12));
        Assert.True(engine.GetStatistics().MaxSequencesInOneDecode > 1);
    }
}
