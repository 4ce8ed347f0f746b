using System.Text.Json;
using Llama4.Core.Grammars;
using Llama4.Testing;
using NJsonSchemaDocument = NJsonSchema.JsonSchema;

namespace Llama4.Core.Tests.Grammars;

/// <summary>
/// Constrained generation on the tiny random-weight model: for every corpus schema and 20 seeds, the output ends by
/// the grammar (finish reason Stop, far below the token limit), parses as JSON and validates against the schema with
/// NJsonSchema.
/// </summary>
public sealed class JsonSchemaGenerationTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    private const int Seeds = 20;
    private const int MaxOutputTokens = 400;

    public static TheoryData<string> SchemaNames => [.. SchemaCorpus.Schemas.Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(SchemaNames))]
    public async Task GenerateAsync_SchemaGrammar_ProducesValidJson(string name)
    {
        string schema = SchemaCorpus.Schemas.Single(s => s.Name == name).Schema;
        var builder = new GbnfGrammarBuilder(SchemaCorpus.TinyModelOptions);
        using var document = JsonDocument.Parse(schema);
        var grammar = builder.Build(builder.AddJsonSchema(document.RootElement, name));
        var validator = await NJsonSchemaDocument.FromJsonAsync(schema, TestContext.Current.CancellationToken);
        var matcher = GbnfMatcher.For(grammar);

        var results = await Task.WhenAll(Enumerable.Range(1, Seeds).Select(seed =>
            GenerationResult.CollectAsync(fixture.Engine, Prompts.Seeded(seed, MaxOutputTokens) with { Grammar = grammar }, TestContext.Current.CancellationToken)));

        Assert.All(results, result =>
        {
            Assert.Equal(Llama4FinishReason.Stop, result.FinishReason);
            Assert.True(matcher.Accepts(result.Text), result.Text);
            using var json = JsonDocument.Parse(result.Text);
            var errors = validator.Validate(result.Text);
            Assert.True(errors.Count == 0, $"{result.Text}: {string.Join("; ", errors.Select(e => $"{e.Path} {e.Kind}"))}");
        });
    }

    [Fact]
    public async Task GenerateAsync_UnicodeStrings_ParseAndOnlyOverlongUtf8BreaksLength()
    {
        // Without AsciiOnlyStrings a byte-sampling model may emit overlong UTF-8 (llama.cpp's grammar accepts it); it
        // decodes to U+FFFD characters, which can only make a string longer than the grammar counted.
        const string Schema = """{"type":"object","properties":{"s":{"type":"string","minLength":1,"maxLength":8},"e":{"enum":["é","😀"]}},"required":["s","e"]}""";
        var builder = new GbnfGrammarBuilder(SchemaCorpus.TinyModelOptions with { AsciiOnlyStrings = false });
        using var document = JsonDocument.Parse(Schema);
        var grammar = builder.Build(builder.AddJsonSchema(document.RootElement, "unicode"));
        var validator = await NJsonSchemaDocument.FromJsonAsync(Schema, TestContext.Current.CancellationToken);

        var results = await Task.WhenAll(Enumerable.Range(1, Seeds).Select(seed =>
            GenerationResult.CollectAsync(fixture.Engine, Prompts.Seeded(seed, MaxOutputTokens) with { Grammar = grammar }, TestContext.Current.CancellationToken)));

        Assert.All(results, result =>
        {
            Assert.Equal(Llama4FinishReason.Stop, result.FinishReason);
            using var json = JsonDocument.Parse(result.Text);
            var errors = validator.Validate(result.Text);
            Assert.All(errors, e => Assert.True(e.Kind == NJsonSchema.Validation.ValidationErrorKind.StringTooLong && result.Text.Contains('\uFFFD', StringComparison.Ordinal), result.Text));
        });
    }
}
