using System.Diagnostics;
using System.Text.Json;
using Llama4.Core.ToolCalling;

namespace Llama4.Core.Tests.ToolCalling;

public sealed class ToolCallStreamParserTests
{
    private static ToolCallStreamParser NewParser() => new(ToolCallHarness.OfferedTools);

    [Fact]
    public void Append_ProseOneCharacterAtATime_ReleasesEveryCharacterAtOnce()
    {
        var parser = NewParser();

        foreach (var c in "It is 21°C (sunny) {mostly} [source: met.no] a>b")
        {
            Assert.Equal(c.ToString(), parser.Append(c.ToString()).Text);
        }
    }

    [Fact]
    public void Append_LessThan_IsHeldOnlyUntilItCannotStartAMarker()
    {
        var parser = NewParser();

        Assert.Equal(string.Empty, parser.Append("<").Text);
        Assert.Equal("<3", parser.Append("3").Text);
        Assert.Equal(string.Empty, parser.Append("<|python").Text);
        Assert.Equal("<|pythonic", parser.Append("ic").Text);
    }

    [Fact]
    public void Append_LineInitialBracketWithOfferedNamePrefix_HoldsOnlyUntilTheNameDiverges()
    {
        var parser = NewParser();

        Assert.Equal("Report:\n", parser.Append("Report:\n").Text);
        Assert.Equal(string.Empty, parser.Append("[get_wea").Text);
        Assert.Equal("[get_wealth report]", parser.Append("lth report]").Text);
    }

    [Fact]
    public void Append_PlainListAtLineStart_IsReleasedAtItsFirstCharacterThatNoToolNameHas()
    {
        var parser = NewParser();

        Assert.Equal(string.Empty, parser.Append("[").Text);
        Assert.Equal("[1", parser.Append("1").Text);
    }

    [Fact]
    public void Append_JsonWithNameThatIsNotOffered_IsReleasedWhenTheNameCloses()
    {
        var parser = NewParser();

        Assert.Equal(string.Empty, parser.Append("{\"name\": \"Ali").Text);
        var result = parser.Append("ce\", \"age\": 3}");

        Assert.Equal("{\"name\": \"Alice\", \"age\": 3}", result.Text);
        Assert.Single(result.Warnings);
    }

    [Fact]
    public void Append_CallInProgress_ReleasesNothingUntilItIsComplete()
    {
        var parser = NewParser();

        Assert.Equal("Checking.\n", parser.Append("Checking.\n").Text);
        Assert.Equal(ToolCallParseResult.Empty, parser.Append("[get_weather(city=\"Par"));
        var result = parser.Append("is\")]");

        Assert.Equal(string.Empty, result.Text);
        var call = Assert.Single(result.Calls);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("Paris", call.Arguments["city"].GetString());
    }

    [Theory]
    [InlineData("[get_weather(city=\"Oslo\", days=1e999)]")]
    [InlineData("[get_weather(city=\"Oslo\", days=-1E400)]")]
    [InlineData("[get_weather(city=\"Oslo\", days=inf)]")]
    [InlineData("[get_weather(city=\"Oslo\", days=nan)]")]
    [InlineData("[get_weather(city=\"Oslo\", days=float(\"inf\"))]")]
    [InlineData("{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Oslo\", \"days\": 1e999}}")]
    [InlineData("{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Oslo\", \"days\": [1, 2e308]}}")]
    public void Complete_CallWithANonFiniteOrOverflowingNumber_IsTextWithAWarning(string output)
    {
        var parser = NewParser();

        var appended = parser.Append(output);
        var completed = parser.Complete();

        Assert.Empty(appended.Calls);
        Assert.Empty(completed.Calls);
        Assert.Equal(output, appended.Text + completed.Text);
        Assert.NotEmpty(appended.Warnings.Concat(completed.Warnings));
    }

    [Fact]
    public void Append_TextAfterACallInTheSamePiece_IsReleasedByTheNextAppend()
    {
        var parser = NewParser();

        var first = parser.Append("Intro\n[get_time()]\nAfter");
        Assert.Equal("Intro\n", first.Text);
        Assert.Single(first.Calls);

        var second = parser.Append(" that.");
        Assert.Equal("After that.", second.Text);
        Assert.Empty(second.Calls);
    }

    [Fact]
    public void Complete_TextAfterTheLastCall_IsReturned()
    {
        var parser = NewParser();

        Assert.Single(parser.Append("[get_time()]\nDone").Calls);

        Assert.Equal("Done", parser.Complete().Text);
    }

    [Fact]
    public void Complete_ThenNewReply_StartsFresh()
    {
        var parser = NewParser();
        Assert.Equal("Hi\n", parser.Append("Hi\n[get_time(").Text);
        Assert.Equal("[get_time(", parser.Complete().Text);

        var result = parser.Append("[get_time()]");

        Assert.Single(result.Calls);
    }

    [Fact]
    public void Append_SurrogatePairSplitAcrossPieces_NeverReleasesHalfOfIt()
    {
        var parser = NewParser();

        Assert.Equal("a", parser.Append("a\uD83D").Text);
        Assert.Equal("\uD83D\uDC4B", parser.Append("\uDC4B").Text);
    }

    [Fact]
    public void Append_PythonStartMidLine_ReleasesTheTextBeforeIt()
    {
        var parser = NewParser();

        var result = parser.Append("Sure, one moment.<|python_start|>{\"name\": \"get_time\", ");

        Assert.Equal("Sure, one moment.", result.Text);
        Assert.Single(parser.Append("\"parameters\": {}}<|python_end|>").Calls);
    }

    [Fact]
    public void Append_CallAfterAClosedCodeFence_IsParsed()
    {
        var outcome = ToolCallHarness.Run(["```json\n{\"name\": \"get_time\", \"parameters\": {}}\n```\n{\"name\": \"get_time\", \"parameters\": {}}"]);

        Assert.Equal("```json\n{\"name\": \"get_time\", \"parameters\": {}}\n```\n", outcome.Text);
        Assert.Single(outcome.Calls);
    }

    [Fact]
    public void Append_NoToolsOffered_EveryCallStyleIsText()
    {
        const string output = "[get_time()]\n{\"name\": \"get_time\", \"parameters\": {}}\n<function=get_time>{}</function>";

        var outcome = ToolCallHarness.Run([output], []);

        Assert.Equal(output, outcome.Text);
        Assert.Empty(outcome.Calls);
        Assert.NotEmpty(outcome.Warnings);
    }

    [Fact]
    public void Append_AliasCollisions_MapEachSpellingToItsTool()
    {
        var outcome = ToolCallHarness.Run(["[a_b(), a_b_2(), a-b()]"], ["a-b", "a_b"]);

        Assert.Equal(["a_b", "a-b", "a-b"], outcome.Calls.Select(c => c.Name));
    }

    [Fact]
    public void Aliases_NonIdentifierNames_AreExposedForThePrompt()
    {
        var parser = NewParser();

        Assert.Equal("get_stock_price", parser.Aliases["get-stock-price"]);
        Assert.Equal("get_weather", parser.Aliases["get_weather"]);
    }

    [Fact]
    public void Append_DuplicateArgument_LastValueWins()
    {
        var call = Assert.Single(ToolCallHarness.Run(["[get_weather(city=\"A\", city=\"B\")]"]).Calls);

        Assert.Equal("B", call.Arguments["city"].GetString());
    }

    [Fact]
    public void Append_ArgumentValuesAreDetachedJsonElements()
    {
        var call = Assert.Single(ToolCallHarness.Run(["{\"name\": \"search\", \"parameters\": {\"n\": 5, \"tags\": [\"a\"]}}"]).Calls);

        Assert.Equal(JsonValueKind.Number, call.Arguments["n"].ValueKind);
        Assert.Equal(5, call.Arguments["n"].GetInt32());
        Assert.Equal("a", call.Arguments["tags"][0].GetString());
    }

    [Fact]
    public void Append_LongArgumentOneCharacterAtATime_StaysFast()
    {
        var body = string.Concat(Enumerable.Repeat("line of code with \\\"quotes\\\" and {braces} [1, 2]\\n", 400));
        var output = $"{{\"name\": \"send_email\", \"parameters\": {{\"to\": \"a@b.io\", \"body\": \"{body}\"}}}}";
        var parser = NewParser();
        var stopwatch = Stopwatch.StartNew();

        var calls = 0;
        foreach (var c in output)
        {
            calls += parser.Append(c.ToString()).Calls.Count;
        }

        stopwatch.Stop();
        Assert.Equal(1, calls);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"{output.Length} characters took {stopwatch.Elapsed}");
    }
}
