using System.Text.Json;
using Llama4.Core.Inference.Sampling;
using Llama4.Core.ToolCalling;

namespace Llama4.Core.Tests.Inference.Sampling;

/// <summary>
/// The shortcuts of grammar checks on Llama 4's real vocabulary (first byte, prefix token): the verdicts they lead to
/// must be exactly llama.cpp's, for every token, in every grammar state of a walk.
/// </summary>
[Collection(RealVocabularyContextGroup.Name)]
public sealed class TokenPrefixesTests(RealVocabularyContextFixture model)
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
        Assert.Equal(expected, TokenPrefixes.IsWellFormedPrefix(bytes));
    }

    [Theory]
    [MemberData(nameof(Grammars))]
    public void Resolve_EveryGrammarState_GivesLlamaCppsVerdictForEveryToken(string name)
    {
        var vocabulary = model.VocabularySize;
        var prefixes = TokenPrefixes.Build(model.Weights.NativeHandle, vocabulary);
        var workspace = new SamplingWorkspace(vocabulary);
        using var grammar = new GrammarConstraint(model.Weights.NativeHandle, GrammarFor(name));
        var ids = Enumerable.Range(0, vocabulary).ToArray();
        var random = new Random(5);
        long checkedByLlamaCpp = 0;
        for (var step = 0; step < 12; step++)
        {
            var allowed = ConstrainedSamplerTests.AllowedTokens(grammar, workspace, vocabulary);
            var before = grammar.CandidatesChecked;
            var allowedFirst = ConstrainedSampler.AllowedFirstBytes(grammar, prefixes, workspace);
            Array.Clear(workspace.Verdicts);
            ConstrainedSampler.Resolve(ids, grammar, prefixes, allowedFirst, workspace);
            checkedByLlamaCpp += grammar.CandidatesChecked - before;
            for (var token = 0; token < vocabulary; token++)
            {
                Assert.True((workspace.Verdicts[token] == 1) == allowed.Contains(token), $"step {step}: token {token} allowed {allowed.Contains(token)}, verdict {workspace.Verdicts[token]}");
            }

            // Move the grammar on by an allowed token, as generation would (end-of-generation tokens end the walk).
            var next = allowed.OrderBy(t => t).ElementAt(random.Next(allowed.Count));
            if (((LLama.Native.LLamaToken)next).IsEndOfGeneration(model.Weights.Vocab))
            {
                break;
            }

            grammar.Accept(next);
        }

        // Where the grammar allows few tokens (JSON structure, a tool call's fixed keys) the shortcuts answer most of the
        // questions; a grammar of free words allows most of the vocabulary, so llama.cpp has to confirm most of it.
        if (name != "words")
        {
            Assert.True(checkedByLlamaCpp < 12L * vocabulary / 2, $"llama.cpp checked {checkedByLlamaCpp} candidates over the walk");
        }
    }

    [Fact]
    public void Build_RealVocabulary_LinksTokensToTheirLongestPrefixToken()
    {
        var prefixes = TokenPrefixes.Build(model.Weights.NativeHandle, model.VocabularySize);
        var the = model.Weights.Tokenize(" the", false, false, System.Text.Encoding.UTF8)[0];
        var withPrefix = Enumerable.Range(0, model.VocabularySize).Count(t => prefixes.Prefix[t] >= 0);

        Assert.True(withPrefix > 190_000, $"only {withPrefix} tokens have a prefix token");
        Assert.All(Enumerable.Range(0, model.VocabularySize).Where(t => prefixes.Prefix[t] >= 0), t => Assert.True(prefixes.Length[prefixes.Prefix[t]] < prefixes.Length[t]));
        Assert.Equal((int)' ', prefixes.FirstByte[(int)the]);
        Assert.Equal(-1, prefixes.FirstByte[200_008]);
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
