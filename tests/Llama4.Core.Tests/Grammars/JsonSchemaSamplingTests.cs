using System.ComponentModel;
using System.Text.Json;
using Llama4.Core.Grammars;
using Microsoft.Extensions.AI;
using NJsonSchemaDocument = NJsonSchema.JsonSchema;

namespace Llama4.Core.Tests.Grammars;

/// <summary>
/// Random sentences of generated grammars (drawn by <see cref="GbnfSampler"/>, covering every alternative and any
/// Unicode character) must parse as JSON and validate against the schema with NJsonSchema, an independent validator.
/// Schemas come from the test corpus, from Microsoft.Extensions.AI's AIFunctionFactory and AIJsonUtilities, and by hand.
/// </summary>
public sealed class JsonSchemaSamplingTests
{
    private const int Samples = 60;

    public enum Color
    {
        Red,
        Green,
        Blue,
    }

    public static TheoryData<string, bool> SchemaNames => [.. SchemaCorpus.Schemas.SelectMany(s => new[] { (s.Name, true), (s.Name, false) })];

    [Theory]
    [MemberData(nameof(SchemaNames))]
    public async Task Sample_CorpusSchema_ValidatesWithNJsonSchema(string name, bool asciiOnly)
    {
        string schema = SchemaCorpus.Schemas.Single(s => s.Name == name).Schema;
        var options = SchemaCorpus.TinyModelOptions with { AsciiOnlyStrings = asciiOnly };

        await AssertSamplesValidAsync(schema, options, _ => Task.CompletedTask);
    }

    [Fact]
    public async Task Sample_AIFunctionFactorySchema_ValidatesAndBindsToTheMethod()
    {
        var function = AIFunctionFactory.Create(
            (int count, double ratio, bool flag, string name, Color color, DateTime when, Guid id, int? maybe, int[] numbers,
                List<string> names, Person person, DateOnly day, TimeOnly time, DateTimeOffset at, long big, float single,
                decimal money, int withDefault = 5, string? optionalName = null, Color? optionalColor = null) => count,
            "f");

        // AIFunctionFactory gives int parameters no bounds: nine digits keep sampled values within int.
        var options = new JsonSchemaGrammarOptions { MaxStringLength = 12, MaxArrayItems = 3, MaxNumberDigits = 9 };
        await AssertSamplesValidAsync(function.JsonSchema.GetRawText(), options, async json =>
        {
            var arguments = new AIFunctionArguments(json.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone()));
            await function.InvokeAsync(arguments, TestContext.Current.CancellationToken);
        });
    }

    [Fact]
    public async Task Sample_AIJsonUtilitiesRecord_ValidatesAndDeserializes()
    {
        var schema = AIJsonUtilities.CreateJsonSchema(typeof(Order));

        await AssertSamplesValidAsync(schema.GetRawText(), new JsonSchemaGrammarOptions { MaxStringLength = 10, MaxArrayItems = 3, MaxNumberDigits = 9 }, json =>
        {
            Assert.NotNull(json.Deserialize<Order>(AIJsonUtilities.DefaultOptions));
            return Task.CompletedTask;
        });
    }

    [Fact]
    public async Task Sample_AIJsonUtilitiesRecursiveRecord_ValidatesAndDeserializes()
    {
        var schema = AIJsonUtilities.CreateJsonSchema(typeof(TreeNode));

        await AssertSamplesValidAsync(schema.GetRawText(), new JsonSchemaGrammarOptions { MaxStringLength = 6, MaxArrayItems = 2, MaxRecursionDepth = 3 }, json =>
        {
            Assert.NotNull(json.Deserialize<TreeNode>(AIJsonUtilities.DefaultOptions));
            return Task.CompletedTask;
        });
    }

    [Fact]
    public async Task Sample_HandWrittenDraft07_Validates()
    {
        const string Schema = """
            {"$schema":"http://json-schema.org/draft-07/schema#","title":"Search","strict":true,"type":"object",
             "properties":{
               "query":{"type":"string","minLength":1,"maxLength":40,"description":"What to look for"},
               "limit":{"type":["integer","null"],"minimum":1,"maximum":50,"default":10},
               "sort":{"type":"string","enum":["relevance","date"],"default":"relevance"},
               "filters":{"type":["object","null"],"properties":{"after":{"type":"string","format":"date"},"tags":{"type":"array","items":{"type":"string","maxLength":8},"maxItems":4}},"additionalProperties":false},
               "meta":{"type":"object","additionalProperties":{"type":["string","number","boolean","null"]}},
               "ratio":{"type":"number","exclusiveMinimum":0,"maximum":1}},
             "required":["query","filters"],
             "definitions":{"unused":{"type":"string","pattern":"never-converted"}}}
            """;

        await AssertSamplesValidAsync(Schema, new JsonSchemaGrammarOptions(), _ => Task.CompletedTask);
    }

    [Fact]
    public void AddJsonSchema_AIFunctionTimeSpanParameter_RefusesPattern()
    {
        var function = AIFunctionFactory.Create((TimeSpan ts) => ts, "f");
        var builder = new GbnfGrammarBuilder();

        var error = Assert.Throws<Llama4JsonSchemaException>(() => builder.AddJsonSchema(function.JsonSchema, "f"));

        Assert.Equal("pattern", error.Keyword);
        Assert.Equal("#/properties/ts/pattern", error.SchemaPath);
    }

    [Fact]
    public void AddJsonSchema_AIFunctionUriParameter_RefusesFormat()
    {
        var function = AIFunctionFactory.Create((Uri uri) => uri, "f");
        var builder = new GbnfGrammarBuilder();

        var error = Assert.Throws<Llama4JsonSchemaException>(() => builder.AddJsonSchema(function.JsonSchema, "f"));

        Assert.Equal("format", error.Keyword);
        Assert.Equal("#/properties/uri/format", error.SchemaPath);
    }

    [Fact]
    public void AddJsonSchema_AIFunctionWithoutParameters_AllowsOnlyEmptyObject()
    {
        var function = AIFunctionFactory.Create(() => 1, "f");
        var builder = new GbnfGrammarBuilder();

        var matcher = GbnfMatcher.For(builder.Build(builder.AddJsonSchema(function.JsonSchema, "f")));

        Assert.True(matcher.Accepts("{}"));
        Assert.False(matcher.Accepts("{\"a\":1}"));
    }

    private static async Task AssertSamplesValidAsync(string schemaJson, JsonSchemaGrammarOptions options, Func<JsonElement, Task> check)
    {
        var builder = new GbnfGrammarBuilder(options);
        using var document = JsonDocument.Parse(schemaJson);
        var grammar = builder.Build(builder.AddJsonSchema(document.RootElement, "schema"));
        var validator = await NJsonSchemaDocument.FromJsonAsync(schemaJson, TestContext.Current.CancellationToken);
        var sampler = new GbnfSampler(GbnfValidator.Parse(grammar.Gbnf, grammar.Root), seed: 42);
        var matcher = GbnfMatcher.For(grammar);
        for (int i = 0; i < Samples; i++)
        {
            string text = sampler.Sample();
            Assert.True(matcher.Accepts(text), text);
            using var json = JsonDocument.Parse(text);
            var errors = validator.Validate(text);
            Assert.True(errors.Count == 0, $"{text}: {string.Join("; ", errors.Select(e => $"{e.Path} {e.Kind}"))}");
            await check(json.RootElement);
        }
    }

    public sealed record Person(string Name, int Age, Address? Address);

    public sealed record Address(string Street, string City);

    public sealed record Order([property: Description("The id")] int Id, Person Customer, List<OrderLine> Lines, Dictionary<string, int> Tags);

    public sealed record OrderLine(string Sku, int Quantity, double Price);

    public sealed record TreeNode(string Name, List<TreeNode> Children, TreeNode? Parent);
}
