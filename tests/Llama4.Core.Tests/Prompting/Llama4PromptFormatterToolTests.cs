using System.Text.Json;
using Llama4.Core;

namespace Llama4.Core.Tests.Prompting;

public sealed class Llama4PromptFormatterToolTests
{
    private const string WeatherToolJson =
        "{\n" +
        "    \"type\": \"function\",\n" +
        "    \"function\": {\n" +
        "        \"name\": \"get_weather\",\n" +
        "        \"description\": \"Get the weather\",\n" +
        "        \"parameters\": {\n" +
        "            \"type\": \"object\",\n" +
        "            \"properties\": {\n" +
        "                \"city\": {\n" +
        "                    \"type\": \"string\"\n" +
        "                }\n" +
        "            },\n" +
        "            \"required\": [\n" +
        "                \"city\"\n" +
        "            ]\n" +
        "        }\n" +
        "    }\n" +
        "}";

    private const string UserInstructions =
        "Given the following functions, please respond with a JSON for a function call with its proper arguments that best answers the given prompt.\n\n" +
        "Respond in the format {\"name\": function name, \"parameters\": dictionary of argument name and its value}.Do not use variables.\n\n";

    private static readonly Llama4ToolDefinition Weather = new(
        "get_weather",
        "Get the weather",
        JsonDocument.Parse("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}").RootElement);

    private static readonly Llama4ToolDefinition Time = new("get_time", null, null);

    [Fact]
    public void Format_ToolsInFirstUserMessage_MatchesMetaTemplate()
    {
        var prompt = Llama4PromptFormatter.Format(
            [new Llama4Message(Llama4Role.System, "You are helpful. "), new Llama4Message(Llama4Role.User, "  What is the weather in SF?\n")],
            new Llama4ToolOptions([Weather]));

        Assert.Equal(
            "<|begin_of_text|><|header_start|>system<|header_end|>\n\nEnvironment: ipython\nYou are helpful.<|eot|>" +
            "<|header_start|>user<|header_end|>\n\n" + UserInstructions + WeatherToolJson + "\n\n" + "What is the weather in SF?<|eot|>" +
            "<|header_start|>assistant<|header_end|>\n\n",
            prompt.ToString());
    }

    [Fact]
    public void Format_UserInstructions_AreMetasTextByteForByte()
    {
        Assert.Equal(UserInstructions, Llama4PromptFormatter.JsonToolsInUserInstructions);
        Assert.Equal(
            "You have access to the following functions. To call a function, please respond with JSON for a function call." +
            "Respond in the format {\"name\": function name, \"parameters\": dictionary of argument name and its value}.Do not use variables.\n\n",
            Llama4PromptFormatter.JsonToolsInSystemInstructions);
    }

    [Fact]
    public void Format_ToolWithoutSchemaOrDescription_ListsEmptyObjectParameters()
    {
        Assert.Equal(
            "{\n    \"type\": \"function\",\n    \"function\": {\n        \"name\": \"get_time\",\n        \"parameters\": {\n" +
            "            \"type\": \"object\",\n            \"properties\": {}\n        }\n    }\n}",
            Llama4PromptFormatter.ToolJson(Time));
    }

    [Fact]
    public void Format_PastCallsAndResults_RenderAsMetaTemplateDoes()
    {
        var arguments = new Dictionary<string, JsonElement>
        {
            ["city"] = JsonSerializer.SerializeToElement("São Paulo"),
            ["days"] = JsonSerializer.SerializeToElement(3),
            ["units"] = JsonDocument.Parse("[\"c\", \"f\"]").RootElement,
        };
        var prompt = Llama4PromptFormatter.Format(
            [
                new Llama4Message(Llama4Role.User, "Weather and time?"),
                new Llama4Message(Llama4Role.Assistant, string.Empty)
                {
                    ToolCalls = [new Llama4ToolCall("get_weather", arguments), new Llama4ToolCall("get_time", new Dictionary<string, JsonElement>())],
                },
                new Llama4Message(Llama4Role.IPython, "\"Sunny, 25 C\""),
                new Llama4Message(Llama4Role.IPython, "{\"time\": \"10:00\"}"),
            ],
            new Llama4ToolOptions([Weather, Time]) { Placement = Llama4ToolPlacement.SystemMessage });

        var text = prompt.ToString();
        Assert.Contains(
            "<|header_start|>assistant<|header_end|>\n\n<|python_start|><|python_end|>" +
            "{\"name\": \"get_weather\", \"parameters\": {\"city\": \"São Paulo\", \"days\": 3, \"units\": [\"c\", \"f\"]}}" +
            "{\"name\": \"get_time\", \"parameters\": {}}<|eot|>" +
            "<|header_start|>ipython<|header_end|>\n\n\"Sunny, 25 C\"<|eot|>" +
            "<|header_start|>ipython<|header_end|>\n\n{\"time\": \"10:00\"}<|eot|>" +
            "<|header_start|>assistant<|header_end|>\n\n",
            text,
            StringComparison.Ordinal);
        Assert.StartsWith(
            "<|begin_of_text|><|header_start|>system<|header_end|>\n\nEnvironment: ipython\n" + Llama4PromptFormatter.JsonToolsInSystemInstructions + WeatherToolJson + "\n\n",
            text,
            StringComparison.Ordinal);
        Assert.Contains("<|header_start|>user<|header_end|>\n\nWeather and time?<|eot|>", text, StringComparison.Ordinal);
        Assert.Equal(2, prompt.Segments.Count(s => s.IsSpecialToken && s.Text is "<|python_start|>" or "<|python_end|>"));
    }

    [Fact]
    public void Format_AssistantTextBesideCalls_GoesBetweenPythonTags()
    {
        var prompt = Llama4PromptFormatter.Format(
            [new Llama4Message(Llama4Role.Assistant, "Let me check.") { ToolCalls = [new Llama4ToolCall("get_time", new Dictionary<string, JsonElement>())] }],
            addGenerationPrompt: false);

        Assert.Equal(
            "<|begin_of_text|><|header_start|>assistant<|header_end|>\n\n<|python_start|>Let me check.<|python_end|>{\"name\": \"get_time\", \"parameters\": {}}<|eot|>",
            prompt.ToString());
    }

    [Fact]
    public void Format_ToolsWithoutAnyUserMessage_FallBackToSystemTurn()
    {
        var prompt = Llama4PromptFormatter.Format([], new Llama4ToolOptions([Time]));

        Assert.StartsWith("<|begin_of_text|><|header_start|>system<|header_end|>\n\nEnvironment: ipython\nYou have access", prompt.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Format_PythonicStyle_UsesItsSystemPromptAndPythonLiterals()
    {
        var arguments = new Dictionary<string, JsonElement>
        {
            ["city"] = JsonSerializer.SerializeToElement("SF"),
            ["metric"] = JsonSerializer.SerializeToElement(true),
            ["extra"] = JsonSerializer.SerializeToElement<object?>(null),
            ["tags"] = JsonDocument.Parse("{\"a\": [1, false]}").RootElement,
        };

        var prompt = Llama4PromptFormatter.Format(
            [
                new Llama4Message(Llama4Role.System, "Be brief."),
                new Llama4Message(Llama4Role.User, "Weather?"),
                new Llama4Message(Llama4Role.Assistant, string.Empty) { ToolCalls = [new Llama4ToolCall("get_weather", arguments)] },
            ],
            new Llama4ToolOptions([Weather]) { Style = Llama4ToolCallStyle.Pythonic },
            addGenerationPrompt: false);

        Assert.Equal(
            "<|begin_of_text|><|header_start|>system<|header_end|>\n\n" + Llama4PromptFormatter.PythonicInstructions + WeatherToolJson + "\n\nBe brief.<|eot|>" +
            "<|header_start|>user<|header_end|>\n\nWeather?<|eot|>" +
            "<|header_start|>assistant<|header_end|>\n\n[get_weather(city=\"SF\", metric=True, extra=None, tags={\"a\": [1, False]})]<|eot|>",
            prompt.ToString());
    }

    [Fact]
    public void Format_PythonicStyleWithNonIdentifierToolName_ListsAndRendersTheAlias()
    {
        var stock = new Llama4ToolDefinition("get-stock-price", "Gets a price", JsonDocument.Parse("{\"type\":\"object\",\"properties\":{\"ticker\":{\"type\":\"string\"}}}").RootElement);
        var arguments = new Dictionary<string, JsonElement> { ["ticker"] = JsonSerializer.SerializeToElement("MSFT") };

        var prompt = Llama4PromptFormatter.Format(
            [
                new Llama4Message(Llama4Role.User, "MSFT?"),
                new Llama4Message(Llama4Role.Assistant, string.Empty) { ToolCalls = [new Llama4ToolCall("get-stock-price", arguments)] },
                new Llama4Message(Llama4Role.IPython, "412.5"),
            ],
            new Llama4ToolOptions([stock]) { Style = Llama4ToolCallStyle.Pythonic },
            addGenerationPrompt: false);

        Assert.Equal(
            "<|begin_of_text|><|header_start|>system<|header_end|>\n\n" + Llama4PromptFormatter.PythonicInstructions +
            "{\n    \"type\": \"function\",\n    \"function\": {\n        \"name\": \"get_stock_price\",\n        \"description\": \"Gets a price\",\n" +
            "        \"parameters\": {\n            \"type\": \"object\",\n            \"properties\": {\n                \"ticker\": {\n                    \"type\": \"string\"\n" +
            "                }\n            }\n        }\n    }\n}\n\n<|eot|>" +
            "<|header_start|>user<|header_end|>\n\nMSFT?<|eot|>" +
            "<|header_start|>assistant<|header_end|>\n\n[get_stock_price(ticker=\"MSFT\")]<|eot|>" +
            "<|header_start|>ipython<|header_end|>\n\n412.5<|eot|>",
            prompt.ToString());
    }

    [Fact]
    public void Format_JsonStyleWithNonIdentifierToolName_KeepsTheRealName()
    {
        var stock = new Llama4ToolDefinition("get-stock-price", null, null);
        var call = new Llama4ToolCall("get-stock-price", new Dictionary<string, JsonElement>());

        var prompt = Llama4PromptFormatter.Format(
            [new Llama4Message(Llama4Role.User, "MSFT?"), new Llama4Message(Llama4Role.Assistant, string.Empty) { ToolCalls = [call] }],
            new Llama4ToolOptions([stock]),
            addGenerationPrompt: false).ToString();

        Assert.Contains("\"name\": \"get-stock-price\"", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("get_stock_price", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_NoToolsOffered_IsThePlainFormat()
    {
        var messages = new[] { new Llama4Message(Llama4Role.System, "S"), new Llama4Message(Llama4Role.User, "U") };

        Assert.Equal(
            Llama4PromptFormatter.Format(messages).ToString(),
            Llama4PromptFormatter.Format(messages, new Llama4ToolOptions([])).ToString());
    }
}
