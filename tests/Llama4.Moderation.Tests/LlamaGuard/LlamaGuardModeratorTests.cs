using System.Text.RegularExpressions;
using Llama4.Core;
using Llama4.Testing;
using Microsoft.Extensions.AI;

namespace Llama4.Moderation.Tests.LlamaGuard;

/// <summary>
/// <see cref="LlamaGuardModerator"/> on the random-weight tiny llama4 model: the verdict is arbitrary, but the grammar
/// must make every answer a well-formed verdict over the configured codes, and the moderator must parse and map it.
/// </summary>
public sealed partial class LlamaGuardModeratorTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    [Fact]
    public async Task ModerateAsync_ManySampledVerdicts_AlwaysParseAndMap()
    {
        var options = new LlamaGuardModeratorOptions { Sampling = new Llama4SamplingOptions { Temperature = 1.5f, TopK = 0, TopP = 1, MinP = 0 } };
        var moderator = new LlamaGuardModerator(fixture.Engine, options);
        var codes = LlamaGuardCategory.Defaults.ToDictionary(c => c.Code, c => c.Category);

        var results = await Task.WhenAll(Enumerable.Range(1, 12).Select(async seed =>
        {
            var seeded = new LlamaGuardModerator(fixture.Engine, Seeded(options, seed));
            var request = new ModerationRequest($"Question number {seed}: how do I do this?", seed % 2 == 0 ? ModerationSource.User : ModerationSource.Assistant)
            {
                History = [new ChatMessage(ChatRole.User, "Hello"), new ChatMessage(ChatRole.Assistant, "Hi!")],
            };
            var (output, finish) = await seeded.ClassifyAsync(request, TestContext.Current.CancellationToken);
            var verdict = await seeded.ModerateAsync(request, TestContext.Current.CancellationToken);
            return (output, finish, verdict);
        }));

        Assert.All(results, r =>
        {
            Assert.Equal(Llama4FinishReason.Stop, r.finish);
            Assert.Matches(VerdictFormat(), r.output);
            Assert.True(r.verdict.Action is ModerationAction.Allow or ModerationAction.Block);
            Assert.All(r.verdict.Findings, f => Assert.Equal(codes[f.Label!], f.Category));
        });
        Assert.Same(fixture.Engine, moderator.Engine);

        // At this temperature the random model says both (seen: 3 safe, 9 unsafe over S1, S2, S3, S7, S9): both paths run.
        Assert.Contains(results, r => r.verdict.Action == ModerationAction.Allow);
        Assert.Contains(results, r => r.verdict.Action == ModerationAction.Block && r.verdict.Categories.Count > 0);
    }

    [Fact]
    public async Task ModerateAsync_CustomCategories_AnswersOnlyWithConfiguredCodes()
    {
        var options = new LlamaGuardModeratorOptions { Sampling = new Llama4SamplingOptions { Temperature = 2f, TopK = 0, TopP = 1, MinP = 0 } };
        options.Categories.Clear();
        options.Categories.Add(LlamaGuardCategory.Defaults[6]);
        options.Categories.Add(new LlamaGuardCategory("S15", "Medical Advice.\nAI models should not give diagnoses.", ModerationCategory.Custom));

        var verdicts = await Task.WhenAll(Enumerable.Range(1, 10).Select(seed =>
            new LlamaGuardModerator(fixture.Engine, Seeded(options, seed))
                .ClassifyAsync(new ModerationRequest("Do I have the flu?", ModerationSource.User), TestContext.Current.CancellationToken)));

        Assert.All(verdicts, v => Assert.Matches(@"^(safe|unsafe\n(S7|S15)(,(S7|S15))?)$", v.Output));
    }

    [Fact]
    public async Task ModerateAsync_DefaultGreedy_IsDeterministic()
    {
        var moderator = new LlamaGuardModerator(fixture.Engine);
        var request = new ModerationRequest("Is this message safe?", ModerationSource.User);

        var first = await moderator.ClassifyAsync(request, TestContext.Current.CancellationToken);
        var second = await moderator.ClassifyAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task ModerateAsync_SourceNotJudged_AllowsWithoutRunningTheModel()
    {
        var moderator = new LlamaGuardModerator(fixture.Engine);
        var before = fixture.Engine.GetStatistics().CompletedRequests;

        var verdict = await moderator.ModerateAsync(new ModerationRequest("tool output", ModerationSource.ToolResult), TestContext.Current.CancellationToken);

        Assert.Same(ModerationVerdict.Allowed, verdict);
        Assert.Equal(before, fixture.Engine.GetStatistics().CompletedRequests);
    }

    [Fact]
    public async Task LoadAsync_OwnEngine_LoadsTheModelAndDisposesItWithTheModerator()
    {
        var options = new LlamaGuardModeratorOptions();
        options.Engine.ModelPath = TinyModelFiles.Default;
        options.Engine.Backend = Llama4Backend.Cpu;
        options.Engine.MaxParallelSequences = 2;

        var moderator = await LlamaGuardModerator.LoadAsync(options, cancellationToken: TestContext.Current.CancellationToken);
        var verdict = await moderator.ModerateAsync(new ModerationRequest("hello", ModerationSource.User), TestContext.Current.CancellationToken);
        await moderator.DisposeAsync();

        Assert.True(verdict.Action is ModerationAction.Allow or ModerationAction.Block);
        Assert.Equal(8192, moderator.Engine.ContextSize);
        Assert.Throws<ObjectDisposedException>(() => moderator.Engine.Tokenize("x"));
    }

    [Fact]
    public async Task ModerateAsync_ThroughAGuard_UnsafeVerdictsBlockAndFailuresFollowThePolicy()
    {
        // Whatever the random model answers, the guard's verdict is one of the two, never an exception.
        var guard = new ModerationGuard(new LlamaGuardModerator(fixture.Engine));

        var verdict = await guard.CheckAsync(new ModerationRequest("hello there", ModerationSource.User), TestContext.Current.CancellationToken);

        Assert.DoesNotContain(ModerationCategory.ModerationFailed, verdict.Categories);
    }

    private static LlamaGuardModeratorOptions Seeded(LlamaGuardModeratorOptions options, long seed)
    {
        var copy = new LlamaGuardModeratorOptions { Sampling = options.Sampling with { Seed = seed } };
        copy.Categories.Clear();
        foreach (var category in options.Categories)
        {
            copy.Categories.Add(category);
        }

        return copy;
    }

    [GeneratedRegex(@"^(safe|unsafe\n(S([1-9]|1[0-4]))(,S([1-9]|1[0-4])){0,13})$")]
    private static partial Regex VerdictFormat();
}
