using System.Text.Json;
using Llama4.Core.Grammars;

namespace Llama4.Core.Tests.Grammars;

public sealed class GbnfGrammarBuilderTests
{
    [Theory]
    [InlineData("plain")]
    [InlineData("quote \" and backslash \\ and [brackets] and # hash")]
    [InlineData("line\nbreak\rreturn\ttab")]
    [InlineData("control \u0001\u001f\u007f")]
    [InlineData("unicode é 😀 \u2028")]
    [InlineData("")]
    public void Literal_AnyText_MatchesExactlyThatText(string text)
    {
        var builder = new GbnfGrammarBuilder();

        var grammar = builder.Build(GbnfGrammarBuilder.Literal(text));

        var matcher = GbnfMatcher.For(grammar);
        Assert.True(matcher.Accepts(text));
        Assert.False(matcher.Accepts(text + "x"));
    }

    [Fact]
    public void AddRule_SameBodyTwice_ReturnsOneRule()
    {
        var builder = new GbnfGrammarBuilder();

        string first = builder.AddRule("digit", "[0-9]");
        string second = builder.AddRule("other", "[0-9]");

        Assert.Equal(first, second);
        Assert.Single(builder.Build(first).Gbnf.Split('\n'), line => line.EndsWith("::= [0-9]", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("root", "root-2")]
    [InlineData("my tool.name_v2", "my-tool-name-v2")]
    [InlineData("___", "rule")]
    public void AddRule_Hint_GivesValidUniqueName(string hint, string expected)
    {
        var builder = new GbnfGrammarBuilder();

        string name = builder.AddRule(hint, "\"x\"");

        Assert.Equal(expected, name);
        GbnfValidator.Validate(builder.Build(name).Gbnf);
    }

    [Fact]
    public void AddRule_SameHintDifferentBodies_GivesDistinctNames()
    {
        var builder = new GbnfGrammarBuilder();

        string a = builder.AddRule("item", "\"a\"");
        string b = builder.AddRule("item", "\"b\"");

        Assert.NotEqual(a, b);
        var matcher = GbnfMatcher.For(builder.Build($"{a} {b}"));
        Assert.True(matcher.Accepts("ab"));
    }

    [Fact]
    public void Build_InvalidRawRule_ThrowsGrammarException()
    {
        var builder = new GbnfGrammarBuilder();
        string name = builder.AddRule("broken", "( \"unclosed\"");

        var error = Assert.Throws<Llama4GrammarException>(() => builder.Build(name));

        Assert.Contains("never closed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_UndefinedReference_ThrowsGrammarException()
    {
        var builder = new GbnfGrammarBuilder();

        Assert.Throws<Llama4GrammarException>(() => builder.Build("missing"));
    }

    [Fact]
    public void Build_ComposedToolCall_MatchesCallText()
    {
        var builder = new GbnfGrammarBuilder();
        using var schema = JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string","maxLength":20}},"required":["city"]}""");
        string arguments = builder.AddJsonSchema(schema.RootElement, "get_weather");

        var grammar = builder.Build(GbnfGrammarBuilder.Literal("{\"name\": \"get_weather\", \"parameters\": ") + " " + arguments + " \"}\"");

        Assert.Equal("root", grammar.Root);
        Assert.True(GbnfMatcher.For(grammar).Accepts("{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}"));
    }

    [Fact]
    public void AddAnyJsonValue_BoundedJson_AcceptsValuesWithinBounds()
    {
        var builder = new GbnfGrammarBuilder(new JsonSchemaGrammarOptions { MaxRecursionDepth = 2, MaxArrayItems = 3, MaxStringLength = 5 });

        var matcher = GbnfMatcher.For(builder.Build(builder.AddAnyJsonValue()));

        Assert.True(matcher.Accepts("""{"a": [1, "xy", null], "b": {"c": true}}"""));
        Assert.True(matcher.Accepts("-12.5"));
        Assert.False(matcher.Accepts("[[[1]]]"));
        Assert.False(matcher.Accepts("[1,2,3,4]"));
        Assert.False(matcher.Accepts("\"abcdef\""));
        Assert.False(matcher.Accepts("{\"a\":1}\n"));
    }

    [Fact]
    public void AddAnyJsonObject_NonObject_IsRejected()
    {
        var builder = new GbnfGrammarBuilder();

        var matcher = GbnfMatcher.For(builder.Build(builder.AddAnyJsonObject()));

        Assert.True(matcher.Accepts("{}"));
        Assert.True(matcher.Accepts("""{"k": [1, {"n": null}], "k2": "v"}"""));
        Assert.False(matcher.Accepts("[]"));
        Assert.False(matcher.Accepts("{\"\": 1}"));
    }

    [Fact]
    public void Options_CompactJson_RejectsSpaces()
    {
        var builder = new GbnfGrammarBuilder(new JsonSchemaGrammarOptions { AllowSpaceAfterSeparators = false });

        var matcher = GbnfMatcher.For(builder.Build(builder.AddAnyJsonObject()));

        Assert.True(matcher.Accepts("""{"a":1,"b":[1,2]}"""));
        Assert.False(matcher.Accepts("""{"a": 1}"""));
    }

    [Fact]
    public void Options_OutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new GbnfGrammarBuilder(new JsonSchemaGrammarOptions { MaxRecursionDepth = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GbnfGrammarBuilder(new JsonSchemaGrammarOptions { MaxStringLength = -1 }));
    }

    [Fact]
    public void JsonString_LongBounds_SplitsRepetitionsBelowLlamaLimit()
    {
        var builder = new GbnfGrammarBuilder();
        using var schema = JsonDocument.Parse("""{"type":"string","minLength":2500,"maxLength":4700}""");

        var grammar = builder.Build(builder.AddJsonSchema(schema.RootElement, "long"));

        var matcher = GbnfMatcher.For(grammar);
        Assert.True(matcher.Accepts("\"" + new string('a', 2500) + "\""));
        Assert.True(matcher.Accepts("\"" + new string('a', 4700) + "\""));
        Assert.False(matcher.Accepts("\"" + new string('a', 2499) + "\""));
        Assert.False(matcher.Accepts("\"" + new string('a', 4701) + "\""));
    }

    [Fact]
    public void Array_ManyItems_SplitsRepetitionsBelowLlamaLimit()
    {
        var builder = new GbnfGrammarBuilder();
        using var schema = JsonDocument.Parse("""{"type":"array","items":{"const":1},"maxItems":3500}""");

        var matcher = GbnfMatcher.For(builder.Build(builder.AddJsonSchema(schema.RootElement, "many")));

        Assert.True(matcher.Accepts("[" + string.Join(",", Enumerable.Repeat("1", 3500)) + "]"));
        Assert.False(matcher.Accepts("[" + string.Join(",", Enumerable.Repeat("1", 3501)) + "]"));
    }
}
