using Llama4.Core;
using Llama4.Testing;

namespace Llama4.Core.Tests;

public sealed class Llama4EngineTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    private readonly Llama4Engine _engine = fixture.Engine;

    [Fact]
    public void LoadAsync_DefaultTinyModel_ReportsModelAndContext()
    {
        Assert.Equal(131072, _engine.ContextSize);
        Assert.Equal(16, _engine.MaxParallelSequences);
        Assert.Equal(Llama4Backend.Cpu, _engine.ActiveBackend);
        Assert.Equal("llama4", _engine.Model.Architecture);
        Assert.False(string.IsNullOrEmpty(_engine.ModelId));
    }

    [Fact]
    public void Tokenize_UserTextWithSpecialTokenString_StaysOrdinaryText()
    {
        var eot = _engine.TokenizePrompt(new Llama4Prompt([new Llama4PromptSegment("<|eot|>", true)])).Single();

        var asText = _engine.Tokenize("<|eot|>");

        Assert.True(asText.Count > 1);
        Assert.DoesNotContain((int)eot, asText);
        Assert.Equal("<|eot|>", _engine.Detokenize(asText));
    }

    [Fact]
    public void CountTokens_Prompt_EqualsSpecialPlusTextTokens()
    {
        var prompt = Prompts.Hello("Count me");

        var expected = prompt.Segments.Sum(s => s.IsSpecialToken ? 1 : _engine.CountTokens(s.Text));

        Assert.Equal(expected, _engine.CountTokens(prompt));
    }

    [Fact]
    public async Task GenerateAsync_UsagePromptTokens_EqualTokenizerCount()
    {
        var request = Prompts.Seeded(seed: 7, maxOutputTokens: 8);

        var result = await GenerationResult.CollectAsync(_engine, request, TestContext.Current.CancellationToken);

        Assert.Equal(_engine.CountTokens(request.Prompt), result.Usage.PromptTokens);
        Assert.Equal(result.TokensInUpdates, result.Usage.OutputTokens);
        Assert.InRange(result.Usage.OutputTokens, 1, 8);

        // Other tests may have cached this prompt; at least its last token is always decoded.
        Assert.InRange(result.Usage.CachedPromptTokens, 0, result.Usage.PromptTokens - 1);
    }

    [Fact]
    public async Task GenerateAsync_MaxOutputTokens_EndsWithLengthAfterExactlyThatManyTokens()
    {
        const int Max = 12;
        var lengthRuns = 0;
        for (var seed = 1; seed <= 6; seed++)
        {
            var result = await GenerationResult.CollectAsync(_engine, Prompts.Seeded(seed, Max), TestContext.Current.CancellationToken);
            if (result.FinishReason == Llama4FinishReason.Length)
            {
                lengthRuns++;
                Assert.Equal(Max, result.Usage.OutputTokens);
            }
            else
            {
                Assert.InRange(result.Usage.OutputTokens, 1, Max);
            }
        }

        // Random weights rarely pick an end-of-turn token among ~1,700: most runs must hit the limit.
        Assert.True(lengthRuns >= 3, $"only {lengthRuns} of 6 runs reached the limit");
    }

    [Fact]
    public async Task GenerateAsync_SameSeed_SameText()
    {
        // From the same cache state (see GenerateAsync_StopSequence_EndsBeforeItAndDoesNotEmitIt).
        await GenerationResult.CollectAsync(_engine, Prompts.Seeded(42, 1), TestContext.Current.CancellationToken);
        var first = await GenerationResult.CollectAsync(_engine, Prompts.Seeded(42), TestContext.Current.CancellationToken);
        var second = await GenerationResult.CollectAsync(_engine, Prompts.Seeded(42), TestContext.Current.CancellationToken);

        Assert.Equal(first.Text, second.Text);
        Assert.Equal(first.Usage.OutputTokens, second.Usage.OutputTokens);
    }

    [Fact]
    public async Task GenerateAsync_NoSeed_FreshSeedPerRequest()
    {
        var request = new Llama4GenerationRequest(Prompts.Hello()) { MaxOutputTokens = 24, Sampling = new() { Temperature = 1.0f } };

        var texts = new HashSet<string>();
        for (var i = 0; i < 3; i++)
        {
            texts.Add((await GenerationResult.CollectAsync(_engine, request, TestContext.Current.CancellationToken)).Text);
        }

        Assert.True(texts.Count > 1);
    }

    [Fact]
    public async Task GenerateAsync_StopSequence_EndsBeforeItAndDoesNotEmitIt()
    {
        // Both compared runs start from the same cached prefix (a first, uncached run may differ in the last bits of
        // its logits: llama.cpp's arithmetic depends on the batch shape, and random weights sample from flat
        // distributions).
        await GenerationResult.CollectAsync(_engine, Prompts.Seeded(11, 1), TestContext.Current.CancellationToken);
        var reference = await GenerationResult.CollectAsync(_engine, Prompts.Seeded(11, 40), TestContext.Current.CancellationToken);
        Assert.True(reference.Text.Length >= 12, "the reference generation is too short to pick a stop sequence from");
        var stop = reference.Text.Substring(reference.Text.Length / 2, 3);
        var expected = reference.Text[..reference.Text.IndexOf(stop, StringComparison.Ordinal)];

        var stopped = await GenerationResult.CollectAsync(
            _engine,
            Prompts.Seeded(11, 40) with { StopSequences = [stop] },
            TestContext.Current.CancellationToken);

        Assert.Equal(Llama4FinishReason.Stop, stopped.FinishReason);
        Assert.Equal(expected, stopped.Text);
        Assert.DoesNotContain(stop, stopped.Text, StringComparison.Ordinal);
        Assert.True(stopped.Usage.OutputTokens < reference.Usage.OutputTokens);
    }

    [Fact]
    public async Task GenerateAsync_CancelledMidStream_FreesSequenceAndNextRequestSucceeds()
    {
        using var cts = new CancellationTokenSource();
        var updates = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in _engine.GenerateAsync(Prompts.Seeded(3, maxOutputTokens: null), cts.Token))
            {
                if (++updates == 3)
                {
                    await cts.CancelAsync();
                }
            }
        });

        Assert.Equal(3, updates);
        Assert.Equal(0, _engine.GetStatistics().LiveSequences);
        var next = await GenerationResult.CollectAsync(_engine, Prompts.Seeded(4, 4), TestContext.Current.CancellationToken);
        Assert.Equal(0, _engine.GetStatistics().LiveSequences);
        Assert.InRange(next.Usage.OutputTokens, 1, 4);
    }

    [Fact]
    public async Task GenerateAsync_BreakOutOfStream_FreesSequence()
    {
        await foreach (var update in _engine.GenerateAsync(Prompts.Seeded(5, maxOutputTokens: null), TestContext.Current.CancellationToken))
        {
            break;
        }

        Assert.Equal(0, _engine.GetStatistics().LiveSequences);
    }

    [Fact]
    public async Task GenerateAsync_SixteenConcurrentRequests_AllCompleteInSharedBatches()
    {
        var before = _engine.GetStatistics();

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() =>
            GenerationResult.CollectAsync(_engine, Prompts.Seeded(100 + i, 16, $"Request number {i}"), TestContext.Current.CancellationToken))));

        var after = _engine.GetStatistics();
        Assert.All(results, r => Assert.InRange(r.Usage.OutputTokens, 1, 16));
        Assert.True(after.MultiSequenceDecodeCalls > before.MultiSequenceDecodeCalls, "no decode carried more than one sequence");
        Assert.True(after.MaxSequencesInOneDecode > 1);
        Assert.Equal(0, after.LiveSequences);
        Assert.Equal(0, after.QueuedRequests);
    }

    [Fact]
    public async Task GenerateAsync_PromptLargerThanContext_ThrowsContextOverflowWithCounts()
    {
        await using var small = await Llama4Engine.LoadAsync(
            new Llama4EngineOptions { ModelPath = fixture.ModelPath, ContextSize = 64, MaxParallelSequences = 2, Backend = Llama4Backend.Cpu },
            cancellationToken: TestContext.Current.CancellationToken);
        var request = Prompts.Seeded(1, 8, string.Concat(Enumerable.Repeat("lots of words ", 40)));

        var ex = Assert.Throws<Llama4ContextOverflowException>(() => small.GenerateAsync(request, TestContext.Current.CancellationToken));

        Assert.Equal(small.CountTokens(request.Prompt), ex.PromptTokens);
        Assert.Equal(8, ex.ReservedOutputTokens);
        Assert.Equal(64, ex.ContextSize);
    }

    [Fact]
    public async Task GenerateAsync_PerSequenceKvCache_LimitsEachRequestToItsShare()
    {
        await using var split = await Llama4Engine.LoadAsync(
            new Llama4EngineOptions { ModelPath = fixture.ModelPath, ContextSize = 512, MaxParallelSequences = 4, UnifiedKvCache = false, Backend = Llama4Backend.Cpu },
            cancellationToken: TestContext.Current.CancellationToken);
        var fits = Prompts.Seeded(1, 8);
        var tooLong = Prompts.Seeded(1, 128 - split.CountTokens(fits.Prompt) + 1);

        Assert.Equal(128, split.SequenceContextSize);
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => GenerationResult.CollectAsync(split, Prompts.Seeded(i, 8), TestContext.Current.CancellationToken)));
        Assert.All(results, r => Assert.InRange(r.Usage.OutputTokens, 1, 8));
        var ex = Assert.Throws<Llama4ContextOverflowException>(() => split.GenerateAsync(tooLong, TestContext.Current.CancellationToken));
        Assert.Equal(128, ex.ContextSize);
    }

    [Fact]
    public async Task GenerateAsync_UnboundedOutputFillsContext_EndsWithLength()
    {
        await using var small = await Llama4Engine.LoadAsync(
            new Llama4EngineOptions { ModelPath = fixture.ModelPath, ContextSize = 64, MaxParallelSequences = 1, Backend = Llama4Backend.Cpu },
            cancellationToken: TestContext.Current.CancellationToken);
        var request = new Llama4GenerationRequest(Prompts.Hello()) { Sampling = new() { Seed = 9, Temperature = 1.5f } };

        var result = await GenerationResult.CollectAsync(small, request, TestContext.Current.CancellationToken);

        // Every context cell holds a token; the last sampled token is returned but has no cell left to be stored in.
        if (result.FinishReason == Llama4FinishReason.Length)
        {
            Assert.Equal(64 + 1, result.Usage.PromptTokens + result.Usage.OutputTokens);
        }

        Assert.True(result.Usage.PromptTokens + result.Usage.OutputTokens <= 64 + 1);
        Assert.Equal(0, small.GetStatistics().LiveSequences);
    }

    [Fact]
    public async Task DisposeAsync_RequestInFlight_FailsItWithObjectDisposed()
    {
        var engine = await Llama4Engine.LoadAsync(EngineFixture.CreateOptions(fixture.ModelPath), cancellationToken: TestContext.Current.CancellationToken);
        var started = new TaskCompletionSource();
        var consumer = Task.Run(async () =>
        {
            await foreach (var update in engine.GenerateAsync(Prompts.Seeded(1, maxOutputTokens: null), TestContext.Current.CancellationToken))
            {
                started.TrySetResult();
            }
        }, TestContext.Current.CancellationToken);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        await engine.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => consumer);
        Assert.Throws<ObjectDisposedException>(() => engine.GenerateAsync(Prompts.Seeded(1), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task LoadAsync_InvalidOptions_ThrowsArgumentExceptionNamingEachOption()
    {
        var options = new Llama4EngineOptions { ModelPath = "", ContextSize = 0, MaxParallelSequences = 300 };

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Llama4Engine.LoadAsync(options, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains(nameof(Llama4EngineOptions.ModelPath), ex.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(Llama4EngineOptions.ContextSize), ex.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(Llama4EngineOptions.MaxParallelSequences), ex.Message, StringComparison.Ordinal);
    }
}
