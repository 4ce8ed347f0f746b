using Llama4.Core.Grammars;
using Llama4.Testing;

namespace Llama4.Core.Tests.Grammars;

/// <summary>
/// Every grammar the validator accepts must also be accepted (and run) by llama.cpp: each good grammar constrains a
/// real generation on the tiny model. Bad grammars are never sent: llama.cpp's failure kills the test process.
/// </summary>
public sealed class GbnfEngineTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    [Fact]
    public async Task GenerateAsync_EveryGoodGrammar_RunsAndConstrainsOutput()
    {
        var runs = GbnfCorpus.Good.SelectMany(g => new[] { 1, 2 }.Select(seed => (Case: g, Seed: seed))).ToList();

        var results = await Task.WhenAll(runs.Select(async run =>
        {
            GbnfValidator.Validate(run.Case.Gbnf, run.Case.Root);
            var request = Prompts.Seeded(run.Seed, 24) with { Grammar = new Llama4Grammar(run.Case.Gbnf, run.Case.Root) };
            return (run.Case, Result: await GenerationResult.CollectAsync(fixture.Engine, request, TestContext.Current.CancellationToken));
        }));

        Assert.All(results, r =>
        {
            var matcher = GbnfMatcher.For(r.Case.Gbnf, r.Case.Root);
            if (r.Case.Name == "token-first")
            {
                // Any token but id 1, then "a" (or tokens 2 and 3): the matcher cannot follow token ids.
                Assert.Equal(Llama4FinishReason.Stop, r.Result.FinishReason);
            }
            else if (r.Result.Text.Contains('\uFFFD', StringComparison.Ordinal))
            {
                // A byte-sampling model can emit overlong UTF-8 for a non-ASCII character, which llama.cpp's grammar
                // accepts as the code point it encodes and .NET decodes as U+FFFD: such text cannot be matched here.
                Assert.True(r.Case.Gbnf.Any(c => c > 0x7F) || r.Case.Gbnf.Contains('.', StringComparison.Ordinal) || r.Case.Gbnf.Contains("[^", StringComparison.Ordinal) || r.Case.Gbnf.Contains("\\U", StringComparison.Ordinal) || r.Case.Gbnf.Contains("\\u", StringComparison.Ordinal), $"{r.Case.Name}: unexpected U+FFFD in '{r.Result.Text}'");
            }
            else if (r.Result.FinishReason == Llama4FinishReason.Stop)
            {
                Assert.True(matcher.Accepts(r.Result.Text), $"{r.Case.Name}: '{r.Result.Text}' is not a sentence of the grammar");
            }
            else
            {
                Assert.Equal(Llama4FinishReason.Length, r.Result.FinishReason);
                Assert.True(matcher.IsPrefix(r.Result.Text.TrimEnd('\uFFFD')), $"{r.Case.Name}: '{r.Result.Text}' is not a prefix of a sentence of the grammar");
            }
        });
    }
}
