using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Llama4.Core.Prompting;
using Llama4.Core.ToolCalling;

namespace Llama4.Core;

/// <summary>
/// Formats conversations in the Llama 4 instruct layout, as Meta's chat template renders them:
/// <c>&lt;|begin_of_text|&gt;</c>, then for each message <c>&lt;|header_start|&gt;{role}&lt;|header_end|&gt;\n\n{content}&lt;|eot|&gt;</c>,
/// then the generation prompt <c>&lt;|header_start|&gt;assistant&lt;|header_end|&gt;\n\n</c>.
/// </summary>
/// <remarks>
/// A system message in first position is trimmed, as Meta's template does; every other message is rendered verbatim.
/// Tool results use the <c>ipython</c> role. With tools (JSON style), the system turn starts with
/// <c>Environment: ipython</c> and the definitions go into the first user message (trimmed, as the template does) or
/// into the system turn; past calls render as <c>&lt;|python_start|&gt;text&lt;|python_end|&gt;{"name": ..., "parameters": ...}</c>.
/// </remarks>
public static class Llama4PromptFormatter
{
    internal const string JsonToolsInUserInstructions =
        "Given the following functions, please respond with a JSON for a function call with its proper arguments that best answers the given prompt.\n\n" +
        "Respond in the format {\"name\": function name, \"parameters\": dictionary of argument name and its value}.Do not use variables.\n\n";

    internal const string JsonToolsInSystemInstructions =
        "You have access to the following functions. To call a function, please respond with JSON for a function call." +
        "Respond in the format {\"name\": function name, \"parameters\": dictionary of argument name and its value}.Do not use variables.\n\n";

    internal const string PythonicInstructions =
        "You can call functions to help answer the user. The functions you may call are described below as JSON.\n\n" +
        "To call functions, reply with nothing but a Python list of calls, on one line:\n" +
        "[function_name(argument_name=value, other_argument=value), other_function(argument_name=value)]\n" +
        "Call only functions listed here, name every argument, and write values as Python literals " +
        "(strings in double quotes, numbers, True, False, None, lists and dicts). " +
        "If no function is needed, answer in plain text with no list of calls.\n\n";

    internal const string EnvironmentLine = "Environment: ipython\n";

    private static readonly Llama4PromptSegment Bos = new(Llama4SpecialTokens.BeginOfText, true);
    private static readonly Llama4PromptSegment HeaderStart = new(Llama4SpecialTokens.HeaderStart, true);
    private static readonly Llama4PromptSegment HeaderEnd = new(Llama4SpecialTokens.HeaderEnd, true);
    private static readonly Llama4PromptSegment EndOfTurn = new(Llama4SpecialTokens.EndOfTurn, true);
    private static readonly Llama4PromptSegment PythonStart = new(Llama4SpecialTokens.PythonStart, true);
    private static readonly Llama4PromptSegment PythonEnd = new(Llama4SpecialTokens.PythonEnd, true);

    /// <summary>Formats a conversation.</summary>
    /// <param name="messages">The messages in order.</param>
    /// <param name="addGenerationPrompt">Whether to end with the assistant header that asks the model to answer.</param>
    /// <returns>The formatted prompt.</returns>
    public static Llama4Prompt Format(IEnumerable<Llama4Message> messages, bool addGenerationPrompt = true) =>
        Format(messages, tools: null, addGenerationPrompt);

    /// <summary>Formats a conversation that offers tools.</summary>
    /// <param name="messages">The messages in order.</param>
    /// <param name="tools">The tools and how to present them, or <see langword="null"/> for none.</param>
    /// <param name="addGenerationPrompt">Whether to end with the assistant header that asks the model to answer.</param>
    /// <returns>The formatted prompt.</returns>
    public static Llama4Prompt Format(IEnumerable<Llama4Message> messages, Llama4ToolOptions? tools, bool addGenerationPrompt = true) =>
        Format(messages, tools, aliases: null, addGenerationPrompt);

    internal static Llama4Prompt Format(
        IEnumerable<Llama4Message> messages,
        Llama4ToolOptions? tools,
        IReadOnlyDictionary<string, string>? aliases,
        bool addGenerationPrompt)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages.ToList();
        foreach (var message in list)
        {
            ArgumentNullException.ThrowIfNull(message, nameof(messages));
            if (message.Images.Count > 0 && message.Role != Llama4Role.User)
            {
                throw new Llama4ImageException(
                    Llama4ImageProblem.InvalidPlacement,
                    $"A {RoleName(message.Role)} message carries {message.Images.Count} image(s), but Llama 4 reads images only in user turns; move the images into a user message.");
            }

            ValidateImagePositions(message);
        }

        var segments = new List<Llama4PromptSegment> { Bos };
        var system = list.Count > 0 && list[0].Role == Llama4Role.System ? list[0] : null;
        var rest = system is null ? list : list.GetRange(1, list.Count - 1);
        var hasTools = tools is { Tools.Count: > 0 };
        var style = tools?.Style ?? Llama4ToolCallStyle.Json;

        // Pythonic calls name each tool by a Python identifier: the tool list and past calls use the same aliases the
        // call grammar and the parser use (get-stock-price is listed and called as get_stock_price).
        if (aliases is null && style == Llama4ToolCallStyle.Pythonic && hasTools)
        {
            aliases = ToolNameAliases.Create([.. tools!.Tools.Select(t => t.Name)]);
        }
        var firstUser = rest.FindIndex(m => m.Role == Llama4Role.User);
        var toolsInUser = hasTools && style == Llama4ToolCallStyle.Json && tools!.Placement == Llama4ToolPlacement.FirstUserMessage && firstUser >= 0;

        if (hasTools && style == Llama4ToolCallStyle.Pythonic)
        {
            AppendTurn(segments, "system", PythonicInstructions + ToolList(tools!.Tools, aliases) + (system?.Content.Trim() ?? string.Empty));
        }
        else if (hasTools && !toolsInUser)
        {
            AppendTurn(segments, "system", EnvironmentLine + JsonToolsInSystemInstructions + ToolList(tools!.Tools, aliases: null) + (system?.Content.Trim() ?? string.Empty));
        }
        else if (system is not null)
        {
            AppendTurn(segments, "system", (hasTools ? EnvironmentLine : string.Empty) + system.Content.Trim());
        }

        // The preamble (shared by every conversation with this system turn and these tools) ends where the first
        // message's own content starts: after its header's "\n\n" and, in the first user message, the tool definitions.
        (int Segment, int Characters) preambleEnd = (segments.Count, 0);
        for (var i = 0; i < rest.Count; i++)
        {
            var message = rest[i];
            if (i == 0)
            {
                preambleEnd = (segments.Count + 3, 2);
            }

            if (toolsInUser && i == firstUser)
            {
                var toolText = JsonToolsInUserInstructions + ToolList(tools!.Tools, aliases: null);
                if (i == 0)
                {
                    preambleEnd = (segments.Count + 3, 2 + toolText.Length);
                }

                if (message.Images.Count > 0)
                {
                    AppendTurnWithImages(segments, Trimmed(message), toolText);
                }
                else
                {
                    AppendTurn(segments, "user", toolText + message.Content.Trim());
                }
            }
            else if (message.Role == Llama4Role.Assistant && message.ToolCalls.Count > 0)
            {
                AppendAssistantCalls(segments, message, style, aliases);
            }
            else if (message.Images.Count > 0)
            {
                AppendTurnWithImages(segments, message, string.Empty);
            }
            else
            {
                AppendTurn(segments, RoleName(message.Role), message.Content);
            }
        }

        if (addGenerationPrompt)
        {
            AppendHeader(segments, "assistant");
        }

        return new Llama4Prompt(segments) { PreambleEnd = preambleEnd };
    }

    internal static string RoleName(Llama4Role role) => role switch
    {
        Llama4Role.System => "system",
        Llama4Role.User => "user",
        Llama4Role.Assistant => "assistant",
        Llama4Role.IPython => "ipython",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown Llama 4 role."),
    };

    /// <summary>Renders one tool as Meta's template lists it: the OpenAI-style function object, indented by 4.</summary>
    internal static string ToolJson(Llama4ToolDefinition tool, string? alias = null)
    {
        var function = new JsonObject { ["name"] = alias ?? tool.Name };
        if (tool.Description is not null)
        {
            function["description"] = tool.Description;
        }

        function["parameters"] = tool.ParametersSchema is { } schema
            ? JsonNode.Parse(schema.GetRawText())
            : new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() };
        var wrapper = new JsonObject { ["type"] = "function", ["function"] = function };
        return PythonStyleJson.Serialize(JsonSerializer.SerializeToElement(wrapper), indented: true);
    }

    private static string ToolList(IReadOnlyList<Llama4ToolDefinition> tools, IReadOnlyDictionary<string, string>? aliases)
    {
        var builder = new StringBuilder();
        foreach (var tool in tools)
        {
            builder.Append(ToolJson(tool, aliases?.GetValueOrDefault(tool.Name))).Append("\n\n");
        }

        return builder.ToString();
    }

    private static void AppendAssistantCalls(List<Llama4PromptSegment> segments, Llama4Message message, Llama4ToolCallStyle style, IReadOnlyDictionary<string, string>? aliases)
    {
        if (style == Llama4ToolCallStyle.Pythonic)
        {
            var calls = string.Join(", ", message.ToolCalls.Select(c => PythonLiteral.Call(aliases?.GetValueOrDefault(c.Name) ?? c.Name, c.Arguments)));
            var text = message.Content.Length > 0 ? message.Content + "\n" : string.Empty;
            AppendTurn(segments, "assistant", text + "[" + calls + "]");
            return;
        }

        AppendHeader(segments, "assistant");
        segments.Add(PythonStart);
        if (message.Content.Length > 0)
        {
            segments.Add(new Llama4PromptSegment(message.Content, false));
        }

        segments.Add(PythonEnd);
        var rendered = new StringBuilder();
        foreach (var call in message.ToolCalls)
        {
            rendered.Append("{\"name\": ");
            PythonStyleJson.WriteString(rendered, call.Name);
            rendered.Append(", \"parameters\": ").Append(PythonStyleJson.Serialize(call.Arguments)).Append('}');
        }

        segments.Add(new Llama4PromptSegment(rendered.ToString(), false));
        segments.Add(EndOfTurn);
    }

    /// <summary>
    /// A user turn with images, its contents in order as Meta's chat template renders them: the header's "\n\n" (with
    /// <paramref name="prefix"/>, the tool definitions when they go there), then the text and the images where
    /// <see cref="Llama4Message.ImagePositions"/> puts them. Each image is one segment that renders as
    /// <c>&lt;|image|&gt;</c>; the engine expands it into the image's tokens (<c>&lt;|image_start|&gt;</c>, the tiles
    /// with their separators, <c>&lt;|image|&gt;</c> and the overview tile, <c>&lt;|image_end|&gt;</c>), as Meta's
    /// processor does.
    /// </summary>
    private static void AppendTurnWithImages(List<Llama4PromptSegment> segments, Llama4Message message, string prefix)
    {
        var positions = message.PlacedAt();
        var content = message.Content;
        var taken = positions[0];
        AppendHeader(segments, RoleName(message.Role), prefix + content[..taken]);
        for (var i = 0; i < message.Images.Count; i++)
        {
            var image = message.Images[i];
            ArgumentNullException.ThrowIfNull(image, nameof(message));
            segments.Add(new Llama4PromptSegment(Llama4SpecialTokens.Image, false) { Image = image });
            var next = i + 1 < positions.Count ? positions[i + 1] : content.Length;
            if (next > taken)
            {
                segments.Add(new Llama4PromptSegment(content[taken..next], false));
                taken = next;
            }
        }

        segments.Add(EndOfTurn);
    }

    private static void ValidateImagePositions(Llama4Message message)
    {
        var positions = message.ImagePositions;
        if (positions.Count == 0)
        {
            return;
        }

        if (positions.Count != message.Images.Count)
        {
            throw new ArgumentException(
                $"A {RoleName(message.Role)} message has {message.Images.Count} image(s) but {positions.Count} image position(s); give one position per image, or none to place the images before the text.",
                nameof(message));
        }

        var previous = 0;
        foreach (var position in positions)
        {
            if (position < previous || position > message.Content.Length)
            {
                throw new ArgumentException(
                    $"A {RoleName(message.Role)} message places an image at character {position}, but positions must be in non-decreasing order within 0..{message.Content.Length} (the length of its text).",
                    nameof(message));
            }

            previous = position;
        }
    }

    // Meta's template trims the first user message when the tool definitions go into it; images keep their places in
    // the trimmed text.
    private static Llama4Message Trimmed(Llama4Message message)
    {
        var content = message.Content;
        var trimmed = content.Trim();
        var lead = content.Length - content.TrimStart().Length;
        var positions = message.PlacedAt().Select(p => Math.Clamp(p - lead, 0, trimmed.Length)).ToArray();
        return message with { Content = trimmed, ImagePositions = positions };
    }

    private static void AppendTurn(List<Llama4PromptSegment> segments, string role, string content)
    {
        AppendHeader(segments, role, content);
        segments.Add(EndOfTurn);
    }

    // The header's "\n\n" and the content form ONE text segment: tokenizing them together is what tokenizing the
    // whole rendered string does (special tokens split pre-tokenization; plain text between them does not).
    private static void AppendHeader(List<Llama4PromptSegment> segments, string role, string content = "")
    {
        segments.Add(HeaderStart);
        segments.Add(new Llama4PromptSegment(role, false));
        segments.Add(HeaderEnd);
        segments.Add(new Llama4PromptSegment("\n\n" + content, false));
    }
}
