using System.Text.Json;
using Llama4.Core.Tests.Grammars;
using Llama4.Core.ToolCalling;

namespace Llama4.Core.Tests.ToolCalling;

public sealed class ToolCallGrammarSetTests
{
    private static readonly Llama4ToolDefinition Weather = new(
        "get_weather",
        null,
        JsonDocument.Parse("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\",\"maxLength\":10}},\"required\":[\"city\"]}").RootElement);

    private static readonly Llama4ToolDefinition Time = new("get_time", null, null);

    private static readonly Llama4ToolDefinition Patterned = new(
        "lookup",
        null,
        JsonDocument.Parse("{\"type\":\"object\",\"properties\":{\"code\":{\"type\":\"string\",\"pattern\":\"^[A-Z]+$\"}}}").RootElement);

    [Fact]
    public void Required_AcceptsOnlySchemaValidCallsOfOfferedTools()
    {
        var matcher = GbnfMatcher.For(ToolCallGrammarSet.Create(new Llama4ToolOptions([Weather, Time]) { Mode = Llama4ToolMode.Required }).Required!);

        Assert.True(matcher.Accepts("{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Oslo\"}}"));
        Assert.True(matcher.Accepts("{\"name\": \"get_time\", \"parameters\": {}}"));
        Assert.False(matcher.Accepts("{\"name\": \"get_weather\", \"parameters\": {}}"));
        Assert.False(matcher.Accepts("{\"name\": \"get_weather\", \"parameters\": {\"city\": \"far too long a name\"}}"));
        Assert.False(matcher.Accepts("{\"name\": \"other\", \"parameters\": {}}"));
        Assert.False(matcher.Accepts("Sure! {\"name\": \"get_time\", \"parameters\": {}}"));
    }

    [Fact]
    public void Required_SpecificToolAndMultipleCalls_AreHonoured()
    {
        var options = new Llama4ToolOptions([Weather, Time]) { Mode = Llama4ToolMode.Required, RequiredToolName = "get_time", AllowMultipleCalls = true };
        var matcher = GbnfMatcher.For(ToolCallGrammarSet.Create(options).Required!);

        Assert.True(matcher.Accepts("{\"name\": \"get_time\", \"parameters\": {}}\n{\"name\": \"get_time\", \"parameters\": {}}"));
        Assert.False(matcher.Accepts("{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Oslo\"}}"));
    }

    [Fact]
    public void Auto_HasNoRequiredGrammarButConstrainsAfterMarker()
    {
        var set = ToolCallGrammarSet.Create(new Llama4ToolOptions([Weather]));

        Assert.Null(set.Required);
        Assert.True(GbnfMatcher.For(set.AfterMarker).Accepts("{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Rome\"}}"));
    }

    [Theory]
    [InlineData("{\"name\": \"g", "et_weather\", \"parameters\": {\"city\": \"Rome\"}}")]
    [InlineData("{\"name\": \"get_weather\", \"param", "eters\": {\"city\": \"Rome\"}}")]
    [InlineData("{\"name\":\"get_w", "eather\",\"arguments\":{\"city\": \"Rome\"}}")]
    [InlineData("{ \"name\": \"get_", "time\", \"parameters\": {}}")]
    public void ForStartedCall_LineOpeningAnOfferedTool_ConstrainsTheRest(string line, string rest)
    {
        var set = ToolCallGrammarSet.Create(new Llama4ToolOptions([Weather, Time]));

        var grammar = set.ForStartedCall(line);

        Assert.NotNull(grammar);
        var matcher = GbnfMatcher.For(grammar);
        Assert.True(matcher.Accepts(rest));
        Assert.False(matcher.Accepts(rest + "x"));
        if (rest.Contains("Rome", StringComparison.Ordinal))
        {
            Assert.False(matcher.Accepts(rest.Replace("Rome", "Copenhagen!!", StringComparison.Ordinal)));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"name\": \"")]
    [InlineData("{\"name\": \"Alice\"")]
    [InlineData("{\"a\": 1}")]
    [InlineData("Here is {\"name\": \"get_weather\"")]
    public void ForStartedCall_ProseOrUncommittedOpening_DoesNotConstrain(string line)
    {
        Assert.Null(ToolCallGrammarSet.Create(new Llama4ToolOptions([Weather, Time])).ForStartedCall(line));
    }

    private static readonly Llama4ToolDefinition Stock = new(
        "get-stock-price",
        null,
        JsonDocument.Parse("{\"type\":\"object\",\"properties\":{\"ticker\":{\"type\":\"string\",\"maxLength\":5},\"days\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":30},\"exact\":{\"type\":[\"boolean\",\"null\"]}},\"required\":[\"ticker\"]}").RootElement);

    [Fact]
    public void Required_PythonicStyle_AcceptsOnlySchemaValidListsUnderTheAliases()
    {
        var options = new Llama4ToolOptions([Stock, Time]) { Mode = Llama4ToolMode.Required, Style = Llama4ToolCallStyle.Pythonic };
        var matcher = GbnfMatcher.For(ToolCallGrammarSet.Create(options).Required!);

        Assert.True(matcher.Accepts("[get_stock_price(ticker=\"MSFT\")]"));
        Assert.True(matcher.Accepts("[get_stock_price(ticker=\"MSFT\", days=7, exact=True)]"));
        Assert.True(matcher.Accepts("[get_stock_price(ticker=\"MSFT\", exact=None)]"));
        Assert.True(matcher.Accepts("[get_time()]"));
        Assert.False(matcher.Accepts("[get-stock-price(ticker=\"MSFT\")]"));
        Assert.False(matcher.Accepts("[get_stock_price(days=7)]"));
        Assert.False(matcher.Accepts("[get_stock_price(ticker=\"MSFT\", days=31)]"));
        Assert.False(matcher.Accepts("[get_stock_price(ticker=\"MSFT\", exact=true)]"));
        Assert.False(matcher.Accepts("[get_stock_price(ticker=\"TOO_LONG\")]"));
        Assert.False(matcher.Accepts("[get_stock_price(ticker=\"MSFT\"), get_time()]"));
        Assert.False(matcher.Accepts("[get_stock_price(ticker=[\"MSFT\"])]"));
        Assert.False(matcher.Accepts("[get_stock_price(ticker=\"MSFT\")"));
        Assert.False(matcher.Accepts("Sure: [get_time()]"));
    }

    [Fact]
    public void Required_PythonicMultipleCalls_AcceptsAListOfCalls()
    {
        var options = new Llama4ToolOptions([Stock, Time]) { Mode = Llama4ToolMode.Required, Style = Llama4ToolCallStyle.Pythonic, AllowMultipleCalls = true };
        var matcher = GbnfMatcher.For(ToolCallGrammarSet.Create(options).Required!);

        Assert.True(matcher.Accepts("[get_stock_price(ticker=\"MSFT\"), get_time()]"));
        Assert.True(matcher.Accepts("[get_time()]"));
        Assert.False(matcher.Accepts("[get_time(), ]"));
    }

    [Theory]
    [InlineData("[get_stock_price(", "ticker=\"MSFT\", days=2)]")]
    [InlineData("[get_time(", ")]")]
    public void ForStartedCall_PythonicLineOpeningAnOfferedTool_ConstrainsTheRest(string line, string rest)
    {
        var set = ToolCallGrammarSet.Create(new Llama4ToolOptions([Stock, Time]) { Style = Llama4ToolCallStyle.Pythonic });

        var grammar = set.ForStartedCall(line);

        Assert.NotNull(grammar);
        var matcher = GbnfMatcher.For(grammar);
        Assert.True(matcher.Accepts(rest));
        Assert.False(matcher.Accepts(rest + "x"));
        Assert.Equal('[', set.CallOpening);
    }

    [Theory]
    [InlineData("[")]
    [InlineData("[get_stock_price")]
    [InlineData("[see above]")]
    [InlineData("[get-stock-price(")]
    [InlineData("{\"name\": \"get_time")]
    public void ForStartedCall_PythonicProseOrUncommittedOpening_DoesNotConstrain(string line)
    {
        Assert.Null(ToolCallGrammarSet.Create(new Llama4ToolOptions([Stock, Time]) { Style = Llama4ToolCallStyle.Pythonic }).ForStartedCall(line));
    }

    [Fact]
    public void Create_PythonicSchemaThatIsNoKeywordList_AutoLeavesItUnconstrainedRequiredThrows()
    {
        var hyphenated = new Llama4ToolDefinition("lookup", null, JsonDocument.Parse("{\"type\":\"object\",\"properties\":{\"user-id\":{\"type\":\"string\"}}}").RootElement);

        var auto = ToolCallGrammarSet.Create(new Llama4ToolOptions([hyphenated]) { Style = Llama4ToolCallStyle.Pythonic });

        Assert.Equal(["lookup"], auto.UnconstrainedTools);
        Assert.True(GbnfMatcher.For(auto.AfterMarker).Accepts("[lookup(user_id=\"a\", n=None)]"));
        var ex = Assert.Throws<Llama4JsonSchemaException>(() => ToolCallGrammarSet.Create(new Llama4ToolOptions([hyphenated]) { Mode = Llama4ToolMode.Required, Style = Llama4ToolCallStyle.Pythonic }));
        Assert.Contains("user-id", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_UnenforceableSchema_AutoLeavesItUnconstrainedRequiredThrows()
    {
        var auto = ToolCallGrammarSet.Create(new Llama4ToolOptions([Patterned]));

        Assert.Equal(["lookup"], auto.UnconstrainedTools);
        Assert.True(GbnfMatcher.For(auto.AfterMarker).Accepts("{\"name\": \"lookup\", \"parameters\": {\"code\": \"abc\"}}"));
        var ex = Assert.Throws<Llama4JsonSchemaException>(() => ToolCallGrammarSet.Create(new Llama4ToolOptions([Patterned]) { Mode = Llama4ToolMode.Required }));
        Assert.Contains("pattern", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForJsonResponse_WithAutoTools_AcceptsJsonOrCalls()
    {
        var response = new Llama4JsonResponse(JsonDocument.Parse("{\"type\":\"integer\",\"minimum\":0,\"maximum\":9}").RootElement);

        var matcher = GbnfMatcher.For(ToolCallGrammarSet.ForJsonResponse(response, ToolCallGrammarSet.Create(new Llama4ToolOptions([Time]))));

        Assert.True(matcher.Accepts("7"));
        Assert.False(matcher.Accepts("12"));
        Assert.True(matcher.Accepts("{\"name\": \"get_time\", \"parameters\": {}}"));
    }
}
