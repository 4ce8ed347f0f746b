using System.Text.Json;
using Llama4.Core.Inference.Sampling;
using Llama4.Core.ToolCalling;

namespace Llama4.Core.Tests.Inference.Sampling;

/// <summary>The first-byte shortcut of grammar checks on Llama 4's real vocabulary: it may skip a token only if llama.cpp rejects it.</summary>
[Collection(RealVocabularyContextGroup.Name)]
public sealed class TokenFirstBytesTests(RealVocabularyContextFixture model)
{
    public static TheoryData<string> Grammars => ["json schema", "words", "required tool call"];

    [Theory]
    [InlineData(new byte[] { 0x61, 0x62 }, true)]
    [InlineData(new byte[] { 0xC3, 0xA9, 0x61 }, true)]
    [InlineData(new byte[] { 0x61, 0xE2, 0x82 }, true)]
    [InlineData(new byte[] { 0x80, 0x61 }, false)]
    [InlineData(new byte[] { 0x61, 0x80 }, false)]
    [InlineData(new byte[] { 0xC3, 0x61 }, false)]
    [InlineData(new byte[] { 0xC0, 0x80 }, false)]
    public void IsWellFormedPrefix_Bytes_AcceptsOnlyValidUtf8WithAnIncompleteEnd(byte[] bytes, bool expected)
    {
        Assert.Equal(expected, TokenFirstBytes.IsWellFormedPrefix(bytes));
    }

    [Theory]
    [MemberData(nameof(Grammars))]
    public void FirstByte_EveryGrammarState_SkipsOnlyTokensLlamaCppRejects(string name)
    {
        var vocabulary = model.VocabularySize;
        var firstBytes = TokenFirstBytes.Build(model.Weights.NativeHandle, vocabulary);
        var workspace = new SamplingWorkspace(vocabulary);
        using var grammar = new GrammarConstraint(model.Weights.NativeHandle, GrammarFor(name));
        var random = new Random(5);
        var skippedTotal = 0;
        for (var step = 0; step < 12; step++)
        {
            var allowed = ConstrainedSamplerTests.AllowedTokens(grammar, workspace, vocabulary);
            var allowedFirst = ConstrainedSampler.AllowedFirstBytes(grammar, firstBytes, workspace);
            for (var token = 0; token < vocabulary; token++)
            {
                var first = firstBytes.FirstByte[token];
                if (first >= 0 && !allowedFirst[first])
                {
                    Assert.DoesNotContain(token, allowed);
                    skippedTotal++;
                }
            }

            // Move the grammar on by an allowed token, as generation would (end-of-generation tokens end the walk).
            var next = allowed.OrderBy(t => t).ElementAt(random.Next(allowed.Count));
            if (((LLama.Native.LLamaToken)next).IsEndOfGeneration(model.Weights.Vocab))
            {
                break;
            }

            grammar.Accept(next);
        }

        Assert.True(skippedTotal > vocabulary, $"the shortcut skipped only {skippedTotal} checks over the walk");
    }

    internal static Llama4Grammar GrammarFor(string name) => name switch
    {
        "json schema" => ToolCallGrammarSet.ForJsonResponse(
            new Llama4JsonResponse(JsonDocument.Parse("""{"type":"object","properties":{"title":{"type":"string","maxLength":12},"count":{"type":"integer","minimum":0,"maximum":99},"tags":{"type":"array","items":{"type":"string","enum":["a","b"]},"maxItems":2}},"required":["title","count","tags"]}""").RootElement),
            null),
        "words" => new Llama4Grammar("root ::= [a-m] [a-z]{0,30}"),
        "required tool call" => ToolCallGrammarSet.Create(new Llama4ToolOptions(
            [
                new Llama4ToolDefinition("get_weather", "Gets the weather", JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string","maxLength":20},"unit":{"type":"string","enum":["C","F"]}},"required":["city","unit"]}""").RootElement),
            ])
        { Mode = Llama4ToolMode.Required }).Required!,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };
}
