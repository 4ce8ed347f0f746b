using System.Text.Json;
using Llama4.Core.ToolCalling;

namespace Llama4.Core.Tests.ToolCalling;

public sealed class ToolArgumentConverterTests
{
    private const string Schema = """
        {
          "type": "object",
          "properties": {
            "tags": { "type": "array", "items": { "type": "string" } },
            "ids": { "type": "array", "items": { "type": "integer" } },
            "filter": { "type": "object", "properties": { "max": { "type": "number" } } },
            "count": { "type": "integer" },
            "ratio": { "type": "number" },
            "exact": { "type": "boolean" },
            "zip": { "type": "string" },
            "maybe": { "type": ["integer", "null"] },
            "either": { "anyOf": [ { "type": "integer" }, { "type": "null" } ] },
            "loose": { "anyOf": [ { "type": "integer" }, { "description": "anything" } ] },
            "idOrName": { "type": ["string", "integer"] },
            "untyped": { "description": "no type" },
            "meta": { "type": "object", "additionalProperties": { "type": "integer" } }
          },
          "required": ["tags"]
        }
        """;

    [Theory]
    [InlineData("tags", "\"[\\\"a\\\", \\\"b\\\"]\"", "[\"a\", \"b\"]")]
    [InlineData("tags", "\"['a', 'b']\"", "[\"a\", \"b\"]")]
    [InlineData("filter", "\"{\\\"max\\\": 3}\"", "{\"max\": 3}")]
    [InlineData("count", "\"5\"", "5")]
    [InlineData("count", "\" 42 \"", "42")]
    [InlineData("count", "\"5.0\"", "5")]
    [InlineData("count", "5.0", "5")]
    [InlineData("count", "1e2", "100")]
    [InlineData("ratio", "\"3.25\"", "3.25")]
    [InlineData("ratio", "\"-1\"", "-1")]
    [InlineData("exact", "\"true\"", "true")]
    [InlineData("exact", "\"False\"", "false")]
    [InlineData("zip", "94107", "\"94107\"")]
    [InlineData("zip", "1.5", "\"1.5\"")]
    [InlineData("maybe", "\"7\"", "7")]
    [InlineData("either", "\"7\"", "7")]
    [InlineData("ids", "[\"1\", 2, \"3\"]", "[1, 2, 3]")]
    [InlineData("ids", "\"[1, \\\"2\\\"]\"", "[1, 2]")]
    [InlineData("filter", "{\"max\": \"9.5\"}", "{\"max\": 9.5}")]
    [InlineData("meta", "{\"a\": \"1\", \"b\": 2}", "{\"a\": 1, \"b\": 2}")]
    public void Convert_ValueOfTheWrongType_IsRepairedAndRecorded(string name, string valueJson, string expectedJson)
    {
        var result = Convert(name, valueJson, out var repairs);

        AssertJson(expectedJson, result[name]);
        Assert.NotEmpty(repairs);
        Assert.All(repairs, r => Assert.StartsWith(name, r, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("tags", "[\"a\"]")]
    [InlineData("tags", "\"not a list\"")]
    [InlineData("tags", "\"[broken\"")]
    [InlineData("tags", "\"{\\\"a\\\": 1}\"")]
    [InlineData("count", "5")]
    [InlineData("count", "\"five\"")]
    [InlineData("count", "\"5.5\"")]
    [InlineData("count", "5.5")]
    [InlineData("count", "\"0x10\"")]
    [InlineData("ratio", "2.5")]
    [InlineData("exact", "true")]
    [InlineData("exact", "\"yes\"")]
    [InlineData("exact", "1")]
    [InlineData("zip", "\"94107\"")]
    [InlineData("zip", "true")]
    [InlineData("maybe", "null")]
    [InlineData("loose", "\"7\"")]
    [InlineData("idOrName", "\"7\"")]
    [InlineData("idOrName", "7")]
    [InlineData("untyped", "\"[1, 2]\"")]
    [InlineData("notInSchema", "\"5\"")]
    public void Convert_ValueThatFitsOrIsAmbiguous_IsLeftAlone(string name, string valueJson)
    {
        var result = Convert(name, valueJson, out var repairs);

        AssertJson(valueJson, result[name]);
        Assert.Empty(repairs);
    }

    [Fact]
    public void Convert_NoSchema_ReturnsEveryArgumentUnchanged()
    {
        var arguments = Arguments(("a", "\"5\""), ("b", "[1]"), ("c", "null"));

        var result = ToolArgumentConverter.Convert(arguments, null, out var repairs);

        Assert.Equal(3, result.Count);
        AssertJson("\"5\"", result["a"]);
        AssertJson("null", result["c"]);
        Assert.Empty(repairs);
    }

    [Fact]
    public void Convert_SeveralArguments_KeepsAllAndReturnsJsonElements()
    {
        var arguments = Arguments(("count", "\"3\""), ("extra", "{\"x\": 1}"), ("tags", "[]"));

        var result = ToolArgumentConverter.Convert(arguments, ParseSchema(), out var repairs);

        Assert.Equal(["count", "extra", "tags"], result.Keys.Order(StringComparer.Ordinal));
        Assert.All(result.Values, v => Assert.IsType<JsonElement>(v));
        Assert.Single(repairs);
    }

    [Fact]
    public void Convert_SchemaWithoutProperties_ChangesNothing()
    {
        using var schema = JsonDocument.Parse("{\"type\": \"object\"}");

        var result = ToolArgumentConverter.Convert(Arguments(("n", "\"5\"")), schema.RootElement, out var repairs);

        AssertJson("\"5\"", result["n"]);
        Assert.Empty(repairs);
    }

    [Fact]
    public void Convert_ParsedPythonicCall_FeedsTheConverter()
    {
        var call = Assert.Single(ToolCallHarness.Run(["[search(tags=\"['x', 'y']\", count='2')]"], ["search"]).Calls);

        var result = ToolArgumentConverter.Convert(call.Arguments, ParseSchema(), out var repairs);

        AssertJson("[\"x\", \"y\"]", result["tags"]);
        AssertJson("2", result["count"]);
        Assert.Equal(2, repairs.Count);
    }

    private static IDictionary<string, object?> Convert(string name, string valueJson, out IReadOnlyList<string> repairs) =>
        ToolArgumentConverter.Convert(Arguments((name, valueJson)), ParseSchema(), out repairs);

    private static JsonElement ParseSchema()
    {
        using var document = JsonDocument.Parse(Schema);
        return document.RootElement.Clone();
    }

    private static Dictionary<string, JsonElement> Arguments(params (string Name, string Json)[] values)
    {
        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (name, json) in values)
        {
            using var document = JsonDocument.Parse(json);
            result[name] = document.RootElement.Clone();
        }

        return result;
    }

    private static void AssertJson(string expectedJson, object? actual)
    {
        var element = Assert.IsType<JsonElement>(actual);
        using var expected = JsonDocument.Parse(expectedJson);
        Assert.True(
            JsonElement.DeepEquals(expected.RootElement, element) && expected.RootElement.GetRawText().Replace(" ", string.Empty, StringComparison.Ordinal) == element.GetRawText().Replace(" ", string.Empty, StringComparison.Ordinal),
            $"expected {expectedJson}, got {element.GetRawText()}");
    }
}
