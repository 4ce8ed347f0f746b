using System.Text.Json;
using Llama4.Core;
using Llama4.Testing;

namespace Llama4.Core.Tests;

public sealed class Llama4EngineGrammarTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    [Fact]
    public async Task GenerateAsync_Grammar_ConstrainsEveryToken()
    {
        for (var seed = 1; seed <= 5; seed++)
        {
            var request = Prompts.Seeded(seed, 16) with { Grammar = new Llama4Grammar("root ::= (\"yes\" | \"no\") \" \" [0-9]{1,3}") };

            var result = await GenerationResult.CollectAsync(fixture.Engine, request, TestContext.Current.CancellationToken);

            Assert.Matches("^(yes|no) [0-9]{1,3}$", result.Text);
            Assert.Equal(Llama4FinishReason.Stop, result.FinishReason);
        }
    }

    [Fact]
    public async Task GenerateAsync_JsonResponseWithoutSchema_IsAnObjectForEverySeed()
    {
        for (var seed = 1; seed <= 12; seed++)
        {
            var request = Prompts.Seeded(seed, 400) with { JsonResponse = new Llama4JsonResponse(null) };

            var result = await GenerationResult.CollectAsync(fixture.Engine, request, TestContext.Current.CancellationToken);

            Assert.Equal(Llama4FinishReason.Stop, result.FinishReason);
            using var document = JsonDocument.Parse(result.Text);
            Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        }
    }
}
