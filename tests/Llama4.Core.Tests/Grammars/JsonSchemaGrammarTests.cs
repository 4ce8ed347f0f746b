using System.Text.Json;
using Llama4.Core.Grammars;

namespace Llama4.Core.Tests.Grammars;

/// <summary>Accept/reject tests for every supported keyword, run through the managed matcher.</summary>
public sealed class JsonSchemaGrammarTests
{
    private static readonly (string Name, string Schema, string[] Accepted, string[] Rejected)[] Cases =
    [
        ("string", """{"type":"string"}""",
            ["\"abc\"", "\"\"", "\"a\\\"b\"", "\"\\u00e9\"", "\"é😀\"", "\"\\n\\t\\/\\\\\""],
            ["abc", "\"a", "\"\u0001\"", "\"\\ud800\"", "\"\\x41\"", "1"]),
        ("integer", """{"type":"integer"}""", ["0", "-5", "123456789012345"], ["01", "-0", "1.0", "1e3", "\"1\"", "1234567890123456"]),
        ("number", """{"type":"number"}""", ["0", "-1.5", "3.1415926535", "-0.001"], ["1.", ".5", "1e3", "-0", "-0.0", "1.12345678901", "+1"]),
        ("boolean", """{"type":"boolean"}""", ["true", "false"], ["True", "1", "null"]),
        ("null", """{"type":"null"}""", ["null"], ["\"null\"", "0"]),
        ("type-array", """{"type":["string","null"]}""", ["\"a\"", "null"], ["1", "true"]),
        ("nullable", """{"type":"integer","nullable":true}""", ["1", "null"], ["\"1\""]),
        ("properties-required", """{"type":"object","properties":{"a":{"type":"integer"},"b":{"type":"string"}},"required":["b"]}""",
            ["{\"b\":\"x\"}", "{\"a\":1,\"b\":\"x\"}", "{\"a\": 1, \"b\": \"x\"}"],
            ["{\"b\":\"x\",\"a\":1}", "{}", "{\"a\":1}", "{\"b\":\"x\",\"c\":1}", "{ \"b\":\"x\"}", "{\"a\":1,  \"b\":\"x\"}", "{\"b\" : \"x\"}"]),
        ("all-optional", """{"type":"object","properties":{"a":{"type":"integer"},"b":{"type":"integer"}}}""",
            ["{}", "{\"a\":1}", "{\"b\":2}", "{\"a\":1,\"b\":2}"], ["{,\"b\":2}", "{\"a\":1,}"]),
        ("required-in-middle", """{"type":"object","properties":{"a":{"const":1},"b":{"const":2},"c":{"const":3}},"required":["b"]}""",
            ["{\"b\":2}", "{\"a\":1,\"b\":2}", "{\"b\":2,\"c\":3}", "{\"a\":1,\"b\":2,\"c\":3}"], ["{\"a\":1}", "{\"c\":3}", "{\"a\":1,\"c\":3}"]),
        ("required-not-declared", """{"type":"object","required":["id"]}""", ["{\"id\":[1]}", "{\"id\":1,\"x\":2}"], ["{}", "{\"x\":2}"]),
        ("additional-false", """{"type":"object","properties":{"a":{"type":"integer"}},"additionalProperties":false}""", ["{}", "{\"a\":1}"], ["{\"b\":1}"]),
        ("additional-true", """{"type":"object","properties":{"a":{"type":"integer"}},"additionalProperties":true}""",
            ["{\"a\":1,\"x\":[1,\"y\"]}", "{\"x\":null}", "{}", "{\"ab\":1}", "{\"a\":1,\"b\":{}}"], ["{\"a\":1,\"a\":2}", "{\"a\":\"s\"}", "{\"x\":1,\"a\":1}"]),
        ("additional-schema", """{"type":"object","additionalProperties":{"type":"integer"}}""", ["{\"k\":1,\"m\":2}", "{}"], ["{\"k\":\"v\"}"]),
        ("object-without-properties", """{"type":"object"}""", ["{\"any\":{\"nested\":[1,2,{}]}}", "{}"], ["[]", "{\"a\"}"]),
        ("declared-only", """{"type":"object","properties":{"a":{"type":"integer"}}}""", ["{\"a\":1}"], ["{\"b\":1}"]),
        ("items-bounds", """{"type":"array","items":{"type":"integer"},"minItems":1,"maxItems":3}""", ["[1]", "[1,2,3]", "[1, 2]"], ["[]", "[1,2,3,4]", "[\"a\"]", "[1,]", "[ 1]"]),
        ("array-any-items", """{"type":"array","maxItems":2}""", ["[1,\"a\"]", "[]", "[{\"x\":[]}]"], ["[1,2,3]"]),
        ("array-unique-false", """{"type":"array","items":{"type":"boolean"},"uniqueItems":false}""", ["[true,true]"], ["[1]"]),
        ("enum", """{"enum":["a",1,null,{"x":[true]},1.5]}""", ["\"a\"", "1", "null", "{\"x\":[true]}", "1.5"], ["\"b\"", "2", "{\"x\": [true]}"]),
        ("const", """{"const":"fixed"}""", ["\"fixed\""], ["\"other\""]),
        ("enum-typed", """{"type":"string","enum":["a",1]}""", ["\"a\""], ["1"]),
        ("enum-nullable", """{"type":["string","null"],"enum":["Red","Green",null]}""", ["\"Red\"", "null"], ["\"Blue\""]),
        ("enum-integer-in-number", """{"type":"number","enum":[1,2.5,"x"]}""", ["1", "2.5"], ["\"x\""]),
        ("length", """{"type":"string","minLength":2,"maxLength":4}""", ["\"ab\"", "\"abcd\"", "\"ab😀\"", "\"\\n\\u00e9\""], ["\"a\"", "\"abcde\"", "\"ab😀c\"", "\"😀\""]),
        ("max-length-utf16", """{"type":"string","maxLength":2}""", ["\"😀\"", "\"ab\"", "\"\""], ["\"😀a\"", "\"abc\""]),
        ("date", """{"type":"string","format":"date"}""", ["\"2024-02-29\"", "\"2023-12-31\"", "\"2000-02-29\""], ["\"2023-02-29\"", "\"2023-04-31\"", "\"2023-13-01\"", "\"1900-02-29\"", "\"2023-1-01\""]),
        ("date-time", """{"type":"string","format":"date-time"}""",
            ["\"2023-01-01T00:00:00Z\"", "\"2023-06-15T23:59:59.1234567+05:30\"", "\"2023-06-15T12:00:00-14:00\""],
            ["\"2023-01-01 00:00:00Z\"", "\"2023-01-01T24:00:00Z\"", "\"2023-01-01T00:00:00+14:30\"", "\"2023-01-01T00:00:00\""]),
        ("time", """{"type":"string","format":"time"}""", ["\"12:34:56\"", "\"23:59:59.5\""], ["\"24:00:00\"", "\"12:34:56Z\"", "\"12:60:00\""]),
        ("uuid", """{"type":"string","format":"uuid"}""", ["\"123e4567-e89b-12d3-a456-426614174000\""], ["\"123E4567-E89B-12D3-A456-426614174000\"", "\"123e4567e89b12d3a456426614174000\""]),
        ("email", """{"type":"string","format":"email"}""", ["\"a@b.co\"", "\"first.last+tag@mail.example.org\""], ["\"a@b\"", "\"a..b@c.de\"", "\"@b.co\"", "\"a@-b.co\""]),
        ("format-with-loose-length", """{"type":"string","format":"uuid","minLength":36,"maxLength":100}""", ["\"123e4567-e89b-12d3-a456-426614174000\""], ["\"x\""]),
        ("integer-bounds", """{"type":"integer","minimum":-12,"maximum":345}""", ["-12", "0", "345", "99"], ["-13", "346", "1000", "-0"]),
        ("integer-exclusive", """{"type":"integer","exclusiveMinimum":0,"exclusiveMaximum":10}""", ["1", "9"], ["0", "10"]),
        ("integer-decimal-bounds", """{"type":"integer","minimum":-2.5,"maximum":2.5}""", ["-2", "2"], ["-3", "3"]),
        ("integer-draft4-exclusive", """{"type":"integer","minimum":0,"exclusiveMinimum":true,"maximum":5,"exclusiveMaximum":true}""", ["1", "4"], ["0", "5"]),
        ("integer-only-minimum", """{"type":"integer","minimum":100}""", ["100", "999999999999999"], ["99", "-100", "1000000000000000"]),
        ("integer-int32", """{"type":"integer","format":"int32"}""", ["2147483647", "-2147483648"], ["2147483648", "-2147483649"]),
        ("number-bounds", """{"type":"number","minimum":-1.5,"exclusiveMaximum":2.25}""", ["-1.5", "-1.50", "0", "2.2499", "2", "-0.5"], ["-1.51", "2.25", "2.250", "3", "-2"]),
        ("number-exclusive-zero", """{"type":"number","exclusiveMinimum":0,"maximum":1}""", ["0.1", "0.0000000001", "1", "1.000"], ["0", "0.0", "1.0000000001", "1.1"]),
        ("number-format-double", """{"type":"number","format":"double"}""", ["1.5"], ["\"1.5\""]),
        ("any-of", """{"anyOf":[{"type":"integer"},{"type":"string","maxLength":2}]}""", ["1", "\"ab\""], ["\"abc\"", "true"]),
        ("one-of-disjoint-types", """{"oneOf":[{"type":"integer"},{"type":"string"},{"type":"null"}]}""", ["1", "\"s\"", "null"], ["1.5", "true"]),
        ("one-of-discriminated", """{"oneOf":[{"type":"object","properties":{"kind":{"const":"circle"},"r":{"type":"number"}},"required":["kind","r"]},{"type":"object","properties":{"kind":{"const":"square"},"side":{"type":"number"}},"required":["kind","side"]}]}""",
            ["{\"kind\":\"circle\",\"r\":1}", "{\"kind\":\"square\",\"side\":2}"], ["{\"kind\":\"circle\",\"side\":2}"]),
        ("one-of-ranges", """{"oneOf":[{"type":"integer","maximum":0},{"type":"integer","minimum":1}]}""", ["0", "1", "-5"], ["0.5"]),
        ("all-of-single", """{"allOf":[{"type":"boolean"}],"description":"d"}""", ["true"], ["1"]),
        ("ref-defs", """{"$defs":{"P":{"type":"integer","minimum":1,"maximum":3}},"type":"object","properties":{"p":{"$ref":"#/$defs/P"}},"required":["p"]}""", ["{\"p\":2}"], ["{\"p\":4}"]),
        ("ref-definitions", """{"definitions":{"P":{"type":"string","maxLength":1}},"$ref":"#/definitions/P"}""", ["\"a\""], ["\"ab\""]),
        ("ref-with-annotations", """{"$defs":{"P":{"type":"boolean"}},"$ref":"#/$defs/P","description":"x","items":{}}""", ["true"], ["1"]),
        ("ref-recursive", """{"type":"object","properties":{"v":{"type":"integer","minimum":0,"maximum":9},"children":{"type":"array","items":{"$ref":"#"},"maxItems":2}},"required":["v","children"]}""",
            ["{\"v\":1,\"children\":[]}", "{\"v\":1,\"children\":[{\"v\":2,\"children\":[{\"v\":3,\"children\":[]}]}]}"],
            ["{\"v\":1,\"children\":[{\"v\":2,\"children\":[{\"v\":3,\"children\":[{\"v\":4,\"children\":[]}]}]}]}"]),
        ("ref-recursive-nullable", """{"$defs":{"N":{"type":["object","null"],"properties":{"next":{"$ref":"#/$defs/N"}},"required":["next"]}},"$ref":"#/$defs/N"}""",
            ["null", "{\"next\":null}", "{\"next\":{\"next\":null}}"], ["{\"next\":{\"next\":{\"next\":null}}}", "{}"]),
        ("annotations", """{"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"x","title":"t","description":"d","default":1,"examples":[1],"$comment":"c","readOnly":false,"writeOnly":false,"deprecated":false,"strict":true,"type":"integer","minimum":0,"maximum":1}""", ["0", "1"], ["2"]),
        ("true-schema", "true", ["1", "\"x\"", "{\"a\":[null]}"], ["x"]),
        ("empty-schema", "{}", ["1", "\"x\"", "[true]"], ["tru"]),
        ("inferred-object", """{"properties":{"a":{"type":"integer"}},"required":["a"]}""", ["{\"a\":1}"], ["1"]),
        ("inferred-string", """{"maxLength":2}""", ["\"ab\""], ["\"abc\"", "1"]),
    ];

    public static TheoryData<string> CaseNames => [.. Cases.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void AddJsonSchema_SupportedKeyword_AcceptsValidAndRejectsInvalid(string name)
    {
        var (_, schema, accepted, rejected) = Cases.Single(c => c.Name == name);

        var matcher = Compile(schema, new JsonSchemaGrammarOptions { MaxRecursionDepth = 3 });

        Assert.All(accepted, text => Assert.True(matcher.Accepts(text), $"{name}: {text} should be accepted"));
        Assert.All(rejected, text => Assert.False(matcher.Accepts(text), $"{name}: {text} should be rejected"));
    }

    [Fact]
    public void AddJsonSchema_SameSchemaTwice_SharesRules()
    {
        var builder = new GbnfGrammarBuilder();
        using var schema = JsonDocument.Parse("""{"type":"object","properties":{"a":{"type":"string","format":"date"}}}""");

        string first = builder.AddJsonSchema(schema.RootElement, "t");
        string second = builder.AddJsonSchema(schema.RootElement, "t");

        Assert.Equal(first, second);
    }

    [Fact]
    public void AddJsonSchema_RecursiveDepthOption_LimitsNesting()
    {
        const string Schema = """{"type":"array","items":{"$ref":"#"},"maxItems":1}""";

        var deep = Compile(Schema, new JsonSchemaGrammarOptions { MaxRecursionDepth = 5 });
        var shallow = Compile(Schema, new JsonSchemaGrammarOptions { MaxRecursionDepth = 2 });

        Assert.True(deep.Accepts("[[[[[]]]]]"));
        Assert.False(deep.Accepts("[[[[[[]]]]]]"));
        Assert.True(shallow.Accepts("[[]]"));
        Assert.False(shallow.Accepts("[[[]]]"));
    }

    [Fact]
    public void AddJsonSchema_MaxStringLengthOption_AppliesWithoutMaxLength()
    {
        var matcher = Compile("""{"type":"string"}""", new JsonSchemaGrammarOptions { MaxStringLength = 3 });

        Assert.True(matcher.Accepts("\"abc\""));
        Assert.False(matcher.Accepts("\"abcd\""));
    }

    [Fact]
    public void AddJsonSchema_MaxArrayItemsOption_AppliesWithoutMaxItems()
    {
        var matcher = Compile("""{"type":"array","items":{"type":"null"}}""", new JsonSchemaGrammarOptions { MaxArrayItems = 2 });

        Assert.True(matcher.Accepts("[null,null]"));
        Assert.False(matcher.Accepts("[null,null,null]"));
    }

    [Fact]
    public void AddJsonSchema_MinItemsAboveDefaultMaximum_RaisesMaximum()
    {
        var matcher = Compile("""{"type":"array","items":{"type":"null"},"minItems":3}""", new JsonSchemaGrammarOptions { MaxArrayItems = 2 });

        Assert.True(matcher.Accepts("[null,null,null]"));
        Assert.False(matcher.Accepts("[null,null]"));
    }

    [Fact]
    public void AddJsonSchema_AdditionalPropertiesOption_BoundsExtraMembers()
    {
        var matcher = Compile("""{"type":"object","additionalProperties":{"type":"integer"}}""", new JsonSchemaGrammarOptions { MaxAdditionalProperties = 2, MaxPropertyNameLength = 3 });

        Assert.True(matcher.Accepts("{\"a\":1,\"bcd\":2}"));
        Assert.False(matcher.Accepts("{\"a\":1,\"b\":2,\"c\":3}"));
        Assert.False(matcher.Accepts("{\"abcd\":1}"));
    }

    [Fact]
    public void AddJsonSchema_NumberDigitsOptions_BoundUnboundedNumbers()
    {
        var matcher = Compile("""{"type":"number"}""", new JsonSchemaGrammarOptions { MaxNumberDigits = 3, MaxFractionDigits = 2 });

        Assert.True(matcher.Accepts("-999.99"));
        Assert.False(matcher.Accepts("1000"));
        Assert.False(matcher.Accepts("1.123"));
    }

    [Fact]
    public void AddJsonSchema_DeclaredNameExcludedFromExtraKeys_AllowsLongerAndShorterNames()
    {
        var matcher = Compile("""{"type":"object","properties":{"ab":{"type":"integer"}},"additionalProperties":{"type":"string"}}""");

        Assert.True(matcher.Accepts("{\"ab\":1,\"a\":\"x\",\"abc\":\"y\",\"b\":\"z\"}"));
        Assert.False(matcher.Accepts("{\"ab\":\"x\"}"));
        Assert.False(matcher.Accepts("{\"ab\":1,\"ab\":\"x\"}"));
    }

    internal static GbnfMatcher Compile(string schema, JsonSchemaGrammarOptions? options = null)
    {
        var builder = new GbnfGrammarBuilder(options);
        using var document = JsonDocument.Parse(schema);
        return GbnfMatcher.For(builder.Build(builder.AddJsonSchema(document.RootElement, "test")));
    }
}
