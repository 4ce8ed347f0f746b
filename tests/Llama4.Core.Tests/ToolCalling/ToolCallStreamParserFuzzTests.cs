using System.Text;
using Llama4.Core.ToolCalling;

namespace Llama4.Core.Tests.ToolCalling;

public sealed class ToolCallStreamParserFuzzTests
{
    private static readonly string[] Fragments =
    [
        "<|python_start|>", "<|python_end|>", "<|eot|>", "<|eom|>", "<|", "{", "}", "[", "]", "(", ")", "\"", "'", "\\",
        "\n", "\n", " ", "  ", "\t", ";", ",", ":", "=", "{\"name\": \"get_weather\", \"parameters\": ", "{\"name\": \"nope\", ",
        "{\"name\": ", "\"parameters\"", "\"arguments\": ", "{\"city\": \"SF\"}", "get_weather(", "get_time(", "Tool Name(",
        "get-stock-price(", "[get_weather(city=\"SF\")]", "<function=get_time>", "<function=", "</function>", "```", "text ",
        "Hello, world. ", "x=1", "city=", "\"SF\"", "'Paris'", "True", "None", "-1.5", "é", "👋", "\"\"\"", "[{", "}]",
        "{\"type\": \"function\", ", "\"name\"", "\"get_time\"", "<", "|>", "python", "[1, 2]", "{\"a\": 1}",
        "\n{\"name\": \"get_time\", \"parameters\": {}}", "\n[get_time(), search(query='q')]",
        "<function=get_time>{}</function>", "<|python_start|>get_time()<|python_end|>",
    ];

    public static TheoryData<int> Batches { get; } = new(Enumerable.Range(0, 8));

    [Theory]
    [MemberData(nameof(Batches))]
    public void Append_RandomOutputs_NeverThrowAndDoNotDependOnChunking(int batch)
    {
        var calls = 0;
        var warnings = 0;
        for (var n = 0; n < 60; n++)
        {
            var seed = (batch * 1000) + n;
            var output = RandomOutput(seed);
            var whole = ToolCallHarness.Run([output]);
            ToolCallHarness.AssertSameOutcome(whole, ToolCallHarness.Run(output.Select(c => c.ToString()).ToArray()), $"seed {seed} chars: {output}");
            ToolCallHarness.AssertSameOutcome(whole, ToolCallHarness.Run(ToolCallHarness.RandomChunks(output, seed)), $"seed {seed} random: {output}");

            // Nothing is lost: every character is text, part of a call, or a dropped marker/separator.
            Assert.True(whole.Text.Length <= output.Length);
            calls += whole.Calls.Count;
            warnings += whole.Warnings.Count;
        }

        // The generator reaches both the call paths and the refusal paths.
        Assert.True(calls > 0 && warnings > 0, $"{calls} calls, {warnings} warnings");
    }

    [Theory]
    [MemberData(nameof(Batches))]
    public void Append_RandomOutputsWithoutCallSignals_ReturnsTheTextUnchanged(int batch)
    {
        // Prose with brackets, braces, quotes and less-than signs, but no call signal: every character comes back.
        string[] prose = ["[", "]", "{", "}", "(", ")", "\"", "'", "\n", " ", "a", "Z", ":", ",", "<", ">", "1", "é", "👋", "```", "name", "-"];
        for (var n = 0; n < 60; n++)
        {
            var seed = (batch * 1000) + n;
            var random = new Random(seed);
            var builder = new StringBuilder();
            for (var i = random.Next(1, 60); i > 0; i--)
            {
                builder.Append(prose[random.Next(prose.Length)]);
            }

            var output = builder.ToString();
            foreach (var (label, pieces) in ToolCallHarness.Chunkings(output))
            {
                var outcome = ToolCallHarness.Run(pieces);
                Assert.True(output == outcome.Text, $"{label}: {output}");
                Assert.Empty(outcome.Calls);
            }
        }
    }

    private static string RandomOutput(int seed)
    {
        var random = new Random(seed);
        var builder = new StringBuilder();
        for (var i = random.Next(1, 30); i > 0; i--)
        {
            builder.Append(Fragments[random.Next(Fragments.Length)]);
        }

        return builder.ToString();
    }
}
