using System.Text;
using System.Text.Json;
using Llama4.Core.ToolCalling;

namespace Llama4.Core.Tests.ToolCalling;

/// <summary>Feeds outputs to a parser in different chunkings and compares what comes out.</summary>
internal static class ToolCallHarness
{
    public static readonly string[] OfferedTools =
    [
        "get_weather", "get_time", "send_email", "search", "get-stock-price", "weather.forecast", "Tool Name", "天气",
    ];

    public static readonly int[] Seeds = [1, 2, 3, 17, 4242];

    public static IEnumerable<(string Label, IReadOnlyList<string> Pieces)> Chunkings(string output)
    {
        yield return ("whole", [output]);
        yield return ("chars", output.Select(c => c.ToString()).ToArray());
        foreach (var seed in Seeds)
        {
            yield return ($"random seed {seed}", RandomChunks(output, seed));
        }
    }

    public static IReadOnlyList<string> RandomChunks(string output, int seed)
    {
        var random = new Random(seed);
        var pieces = new List<string>();
        var i = 0;
        while (i < output.Length)
        {
            // Mostly token-sized pieces, sometimes empty ones and longer runs.
            var length = random.Next(10) switch
            {
                0 => 0,
                9 => random.Next(8, 40),
                _ => random.Next(1, 6),
            };
            length = Math.Min(length, output.Length - i);
            pieces.Add(output.Substring(i, length));
            i += length;
        }

        return pieces;
    }

    public static ParseOutcome Run(IReadOnlyList<string> pieces, IReadOnlyList<string>? tools = null)
    {
        var parser = new ToolCallStreamParser(tools ?? OfferedTools);
        return Run(parser, pieces);
    }

    public static ParseOutcome Run(ToolCallStreamParser parser, IReadOnlyList<string> pieces)
    {
        var text = new StringBuilder();
        var calls = new List<ParsedToolCall>();
        var warnings = new List<string>();
        var textPieces = new List<string>();
        foreach (var piece in pieces)
        {
            Collect(parser.Append(piece));
        }

        Collect(parser.Complete());
        return new ParseOutcome(text.ToString(), calls, warnings, textPieces);

        void Collect(ToolCallParseResult result)
        {
            if (result.Text.Length > 0)
            {
                textPieces.Add(result.Text);
            }

            text.Append(result.Text);
            calls.AddRange(result.Calls);
            warnings.AddRange(result.Warnings);
        }
    }

    public static string ArgumentsJson(ParsedToolCall call)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in call.Arguments.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                writer.WritePropertyName(name);
                value.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static bool SameArguments(ParsedToolCall call, string expectedJson)
    {
        using var expected = JsonDocument.Parse(expectedJson);
        using var actual = JsonDocument.Parse(ArgumentsJson(call));
        return JsonElement.DeepEquals(expected.RootElement, actual.RootElement);
    }

    public static void AssertSameOutcome(ParseOutcome expected, ParseOutcome actual, string label)
    {
        Assert.True(expected.Text == actual.Text, $"{label}: text differs.\nexpected: {expected.Text}\nactual:   {actual.Text}");
        Assert.True(expected.Calls.Count == actual.Calls.Count, $"{label}: {actual.Calls.Count} calls instead of {expected.Calls.Count}");
        for (var i = 0; i < expected.Calls.Count; i++)
        {
            Assert.Equal(expected.Calls[i].Name, actual.Calls[i].Name);
            Assert.Equal(expected.Calls[i].Syntax, actual.Calls[i].Syntax);
            Assert.True(SameArguments(actual.Calls[i], ArgumentsJson(expected.Calls[i])), $"{label}: arguments of call {i} differ");
        }

        Assert.Equal(expected.Warnings, actual.Warnings);
    }
}
