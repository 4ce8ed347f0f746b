using System.Text.Json;
using Llama4.Core.Grammars;

namespace Llama4.Core.Tests.Grammars;

/// <summary>One test per keyword (or combination) the converter refuses, checking the keyword and its JSON pointer.</summary>
public sealed class JsonSchemaRefusalTests
{
    [Theory]
    [InlineData("""{"type":"string","pattern":"^a+$"}""", "pattern", "#/pattern")]
    [InlineData("""{"type":"object","patternProperties":{"^x":{}}}""", "patternProperties", "#/patternProperties")]
    [InlineData("""{"type":"number","multipleOf":0.5}""", "multipleOf", "#/multipleOf")]
    [InlineData("""{"type":"array","uniqueItems":true}""", "uniqueItems", "#/uniqueItems")]
    [InlineData("""{"not":{"type":"string"}}""", "not", "#/not")]
    [InlineData("""{"if":{"type":"string"},"then":{"maxLength":1}}""", "if", "#/if")]
    [InlineData("""{"type":"object","then":{}}""", "then", "#/then")]
    [InlineData("""{"type":"object","else":{}}""", "else", "#/else")]
    [InlineData("""{"type":"object","dependentRequired":{"a":["b"]}}""", "dependentRequired", "#/dependentRequired")]
    [InlineData("""{"type":"object","dependentSchemas":{"a":{}}}""", "dependentSchemas", "#/dependentSchemas")]
    [InlineData("""{"type":"object","dependencies":{"a":["b"]}}""", "dependencies", "#/dependencies")]
    [InlineData("""{"type":"array","contains":{"type":"integer"}}""", "contains", "#/contains")]
    [InlineData("""{"type":"object","propertyNames":{"maxLength":3}}""", "propertyNames", "#/propertyNames")]
    [InlineData("""{"type":"object","minProperties":1}""", "minProperties", "#/minProperties")]
    [InlineData("""{"type":"object","maxProperties":1}""", "maxProperties", "#/maxProperties")]
    [InlineData("""{"type":"array","prefixItems":[{"type":"integer"}]}""", "prefixItems", "#/prefixItems")]
    [InlineData("""{"type":"object","unevaluatedProperties":false}""", "unevaluatedProperties", "#/unevaluatedProperties")]
    [InlineData("""{"type":"string","contentEncoding":"base64"}""", "contentEncoding", "#/contentEncoding")]
    [InlineData("""{"type":"string","format":"hostname"}""", "format", "#/format")]
    [InlineData("""{"type":"string","format":"int32"}""", "format", "#/format")]
    [InlineData("""{"type":"array","items":[{"type":"integer"}]}""", "items", "#/items")]
    [InlineData("""{"$ref":"other.json#/definitions/a"}""", "$ref", "#/$ref")]
    [InlineData("""{"$ref":"#node"}""", "$ref", "#/$ref")]
    [InlineData("""{"$ref":"#/$defs/missing"}""", "$ref", "#/$ref")]
    [InlineData("""{"$defs":{"a":{"type":"integer"}},"$ref":"#/$defs/a","minimum":1}""", "minimum", "#/minimum")]
    [InlineData("""{"allOf":[{"type":"integer"},{"minimum":1}]}""", "allOf", "#/allOf")]
    [InlineData("""{"type":"integer","allOf":[{"minimum":1}]}""", "type", "#/type")]
    [InlineData("""{"type":"object","anyOf":[{"required":["a"]},{"required":["b"]}]}""", "type", "#/type")]
    [InlineData("""{"anyOf":[]}""", "anyOf", "#/anyOf")]
    [InlineData("""{"anyOf":[{"type":"integer"}],"oneOf":[{"type":"string"}]}""", "oneOf", "#/oneOf")]
    [InlineData("""{"oneOf":[{"type":"integer"},{"type":"number"}]}""", "oneOf", "#/oneOf")]
    [InlineData("""{"oneOf":[{"type":"object","properties":{"a":{"type":"integer"}}},{"type":"object","properties":{"b":{"type":"integer"}}}]}""", "oneOf", "#/oneOf")]
    [InlineData("""{"type":"object","properties":{"a":false},"required":["a"]}""", "false", "#/properties/a")]
    [InlineData("""{"type":"string","format":"date","maxLength":5}""", "maxLength", "#/maxLength")]
    [InlineData("""{"type":"string","minLength":5,"maxLength":2}""", "minLength", "#/minLength")]
    [InlineData("""{"type":"string","minLength":1.5}""", "minLength", "#/minLength")]
    [InlineData("""{"type":"array","minItems":3,"maxItems":2}""", "minItems", "#/minItems")]
    [InlineData("""{"type":"integer","minimum":5,"maximum":4}""", "minimum", "#/minimum")]
    [InlineData("""{"type":"integer","minimum":1.2,"maximum":1.8}""", "minimum", "#/minimum")]
    [InlineData("""{"type":"number","exclusiveMinimum":1,"exclusiveMaximum":1.0000000000001}""", "minimum", "#/minimum")]
    [InlineData("""{"type":"number","maximum":"10"}""", "maximum", "#/maximum")]
    [InlineData("""{"type":"number","maximum":1e5000}""", "maximum", "#/maximum")]
    [InlineData("""{"type":"strng"}""", "type", "#/type")]
    [InlineData("""{"type":"string","enum":[1,2]}""", "enum", "#/enum")]
    [InlineData("""{"enum":["a"],"maxLength":3}""", "maxLength", "#/maxLength")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"integer"}},"required":["b"],"additionalProperties":false}""", "required", "#/required")]
    [InlineData("""{"type":"object","properties":{"n":{"$ref":"#"}},"required":["n"]}""", "$ref", "#/properties/n/$ref")]
    [InlineData("""{"type":"object","properties":{"deep":{"type":"object","properties":{"s":{"type":"string","pattern":"x"}}}}}""", "pattern", "#/properties/deep/properties/s/pattern")]
    [InlineData("""{"$defs":{"a~b/c":{"type":"string","pattern":"x"}},"$ref":"#/$defs/a~0b~1c"}""", "pattern", "#/$defs/a~0b~1c/pattern")]
    [InlineData("42", "(schema)", "#")]
    public void AddJsonSchema_UnsupportedSchema_ThrowsWithKeywordAndPath(string schema, string keyword, string path)
    {
        var builder = new GbnfGrammarBuilder();
        using var document = JsonDocument.Parse(schema);

        var error = Assert.Throws<Llama4JsonSchemaException>(() => builder.AddJsonSchema(document.RootElement, "t"));

        Assert.Equal(keyword, error.Keyword);
        Assert.Equal(path, error.SchemaPath);
        Assert.Contains(keyword, error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddJsonSchema_UnsupportedSchema_LeavesBuilderUsable()
    {
        var builder = new GbnfGrammarBuilder();
        using var bad = JsonDocument.Parse("""{"type":"object","properties":{"s":{"type":"string","maxLength":2},"p":{"type":"string","pattern":"x"}}}""");
        using var good = JsonDocument.Parse("""{"type":"boolean"}""");

        Assert.Throws<Llama4JsonSchemaException>(() => builder.AddJsonSchema(bad.RootElement, "bad"));
        var grammar = builder.Build(builder.AddJsonSchema(good.RootElement, "good"));

        Assert.True(GbnfMatcher.For(grammar).Accepts("true"));
    }

    [Theory]
    [InlineData("""{"type":"string","maxLength":3,"x-custom":1}""")]
    [InlineData("""{"type":"string","maxLength":3,"condition":"Semantic Kernel puts the function description here"}""")]
    public void AddJsonSchema_UnknownKeyword_IsAnAnnotationAsTheSpecSays(string schema)
    {
        var builder = new GbnfGrammarBuilder();
        using var document = JsonDocument.Parse(schema);

        var matcher = GbnfMatcher.For(builder.Build(builder.AddJsonSchema(document.RootElement, "t")));

        Assert.True(matcher.Accepts("\"abc\""));
        Assert.False(matcher.Accepts("\"abcd\""));
    }
}
