using System.Text.Json;
using System.Text.Json.Nodes;
using Llama4.Core.Grammars;

namespace Llama4.Core.ToolCalling;

/// <summary>
/// The grammars that constrain tool calls of one request, in either call style: the whole reply in Required mode, the
/// calls after <c>&lt;|python_start|&gt;</c> in Auto mode, and the rest of a call that the model has started on a line of
/// its own. JSON style: <c>{"name": ..., "parameters": {...}}</c>, one per line. Pythonic style: one list
/// <c>[alias(arg=value, ...), ...]</c> with each tool named by its alias (<see cref="ToolNameAliases"/>), keyword
/// arguments from the parameters schema's properties (in declared order, the required ones present) and Python
/// literal values (<c>True</c>, <c>False</c>, <c>None</c>).
/// </summary>
internal sealed class ToolCallGrammarSet
{
    /// <summary>Most calls one reply may carry when several are allowed.</summary>
    public const int MaxCallsPerReply = 8;

    /// <summary>
    /// Bounds for tool arguments: a number the schema leaves unbounded gets at most 9 integer digits, so that it binds to
    /// a .NET <c>int</c> parameter (AIFunctionFactory gives <c>int</c> no bounds in its schema).
    /// </summary>
    internal static readonly JsonSchemaGrammarOptions ArgumentBounds = JsonSchemaGrammarOptions.Default with { MaxNumberDigits = 9 };

    /// <summary>The bounds of <see cref="ArgumentBounds"/> with Python literals, for pythonic calls.</summary>
    internal static readonly JsonSchemaGrammarOptions PythonArgumentBounds = ArgumentBounds with { PythonLiterals = true };

    // Most keyword arguments of a tool whose schema a grammar cannot enforce (Auto mode), and their longest name.
    private const int MaxFreeKeywordArguments = 16;
    private const int MaxKeywordLength = 64;

    private static readonly string[] NameOpenings = ["{\"name\": ", "{\"name\":", "{ \"name\": "];
    private static readonly string[] ArgumentKeys = ["parameters", "arguments"];

    private readonly Llama4ToolOptions _tools;
    private readonly IReadOnlyDictionary<string, string>? _aliases;
    // Tools whose schema a grammar cannot enforce, found while the first grammar is built (each schema is converted
    // once per builder, never probed separately).
    private readonly HashSet<string> _unenforceable = new(StringComparer.Ordinal);
    private readonly int _longestHead;

    private ToolCallGrammarSet(Llama4ToolOptions tools)
    {
        _tools = tools;
        _aliases = Pythonic ? ToolNameAliases.Create([.. tools.Tools.Select(t => t.Name)]) : null;
        _longestHead = Pythonic
            ? tools.Tools.Max(t => PythonicHead(t).Length)
            : tools.Tools.Max(t => Heads(t.Name).Max(h => h.Text.Length));
        AfterMarker = BuildOwn(builder => Calls(builder, CallableTools()));
        Required = tools.Mode == Llama4ToolMode.Required ? AfterMarker : null;
    }

    /// <summary>Gets the grammar of the whole reply when a call is required; null in Auto mode.</summary>
    public Llama4Grammar? Required { get; }

    /// <summary>Gets the grammar of the calls that follow <c>&lt;|python_start|&gt;</c>.</summary>
    public Llama4Grammar AfterMarker { get; }

    /// <summary>Gets the tools whose arguments could not be constrained (their schema uses a keyword a grammar cannot enforce).</summary>
    public IReadOnlyList<string> UnconstrainedTools => [.. _unenforceable];

    /// <summary>Gets the length of the longest call opening; a line longer than this that has not triggered never will.</summary>
    public int LongestHead => _longestHead;

    /// <summary>Gets the character a line that opens a call starts with: <c>{</c> (JSON style) or <c>[</c> (pythonic).</summary>
    public char CallOpening => Pythonic ? '[' : '{';

    private bool Pythonic => _tools.Style == Llama4ToolCallStyle.Pythonic;

    /// <summary>
    /// Prepares the grammars. In Required mode a schema the grammar cannot enforce is an error; in Auto mode that tool's
    /// arguments are left unconstrained (any JSON object) and it is reported in <see cref="UnconstrainedTools"/>.
    /// </summary>
    /// <exception cref="Llama4JsonSchemaException">Required mode and a schema that cannot be enforced.</exception>
    public static ToolCallGrammarSet Create(Llama4ToolOptions tools)
    {
        ArgumentNullException.ThrowIfNull(tools);
        return new ToolCallGrammarSet(tools);
    }

    /// <summary>
    /// Builds the grammar of a JSON reply (valid against the schema, or without one any JSON object), alone or (with
    /// JSON-style tools in Auto mode) as the alternative to tool calls. Pythonic calls are not offered beside a JSON
    /// reply: their literals (<c>True</c>, <c>None</c>) are not JSON's, and one grammar writes one kind.
    /// </summary>
    /// <param name="response">The requested JSON reply.</param>
    /// <param name="tools">The grammars of the tools offered in Auto mode, or null.</param>
    /// <exception cref="Llama4JsonSchemaException">The schema uses a keyword a grammar cannot enforce.</exception>
    public static Llama4Grammar ForJsonResponse(Llama4JsonResponse response, ToolCallGrammarSet? tools)
    {
        ArgumentNullException.ThrowIfNull(response);
        return Build(builder =>
        {
            // JSON mode without a schema asks for an object, as OpenAI's JSON mode and llama.cpp's json grammar do:
            // callers deserialize it into a type (GetResponseAsync<T> without the schema format).
            var reply = response.Schema is { } schema ? builder.AddJsonSchema(schema, "response") : builder.AddAnyJsonObject();
            return tools is null || tools.Pythonic ? reply : $"{reply} | {tools.Calls(builder, tools.CallableTools())}";
        }, ArgumentBounds);
    }

    /// <summary>
    /// Returns the grammar for the rest of a call the model has begun on its own line, or null while the line is not
    /// (yet) the opening of a call of an offered tool. JSON style: the call counts as begun once the line holds an
    /// opening (<c>{"name": "</c>, a few spacings) and at least the first character of an offered tool's name.
    /// Pythonic style: once the line is exactly <c>[alias(</c> of an offered tool (a bracket alone is often prose).
    /// </summary>
    /// <param name="line">The text of the current line so far, without leading spaces.</param>
    public Llama4Grammar? ForStartedCall(string line)
    {
        if (line.Length == 0 || line[0] != CallOpening || line.Length > _longestHead)
        {
            return null;
        }

        if (Pythonic)
        {
            var started = CallableTools().Where(t => PythonicHead(t) == line).ToList();
            return started.Count == 0 ? null : BuildOwn(builder =>
            {
                var first = builder.AddRule("started-call", string.Join(" | ", started.Select(t => Join(KeywordArguments(builder, t), "\")\""))));
                return Join(first, MoreCalls(builder), "\"]\"");
            });
        }

        var alternatives = new List<(string Remainder, Llama4ToolDefinition Tool)>();
        foreach (var tool in CallableTools())
        {
            foreach (var (head, nameStart) in Heads(tool.Name))
            {
                if (line.Length > nameStart && head.StartsWith(line, StringComparison.Ordinal))
                {
                    alternatives.Add((head[line.Length..], tool));
                }
            }
        }

        if (alternatives.Count == 0)
        {
            return null;
        }

        return BuildOwn(builder =>
        {
            var first = string.Join(" | ", alternatives.Select(a => "(" + (a.Remainder.Length > 0 ? GbnfGrammarBuilder.Literal(a.Remainder) + " " : string.Empty) + Arguments(builder, a.Tool) + " \"}\")"));
            return _tools.AllowMultipleCalls
                ? $"({first}) (\"\\n\" {Call(builder, CallableTools())}){{0,{MaxCallsPerReply - 1}}}"
                : first;
        });
    }

    internal IEnumerable<Llama4ToolDefinition> CallableTools() =>
        _tools.RequiredToolName is { } name ? _tools.Tools.Where(t => t.Name == name) : _tools.Tools;

    private static IEnumerable<(string Text, int NameStart)> Heads(string name)
    {
        var encodedName = JsonSerializer.Serialize(name);
        foreach (var opening in NameOpenings)
        {
            foreach (var key in ArgumentKeys)
            {
                var separator = opening.EndsWith(": ", StringComparison.Ordinal) ? ", " : ",";
                var colon = opening.EndsWith(": ", StringComparison.Ordinal) ? ": " : ":";
                yield return (opening + encodedName + separator + "\"" + key + "\"" + colon, opening.Length + 1);
            }
        }
    }

    private static Llama4Grammar Build(Func<GbnfGrammarBuilder, string> root, JsonSchemaGrammarOptions options)
    {
        var builder = new GbnfGrammarBuilder(options);
        return builder.Build(root(builder));
    }

    private static string Join(params string[] parts) => string.Join(" ", parts.Where(p => p.Length > 0));

    private Llama4Grammar BuildOwn(Func<GbnfGrammarBuilder, string> root) => Build(root, Pythonic ? PythonArgumentBounds : ArgumentBounds);

    internal string Calls(GbnfGrammarBuilder builder, IEnumerable<Llama4ToolDefinition> tools)
    {
        if (Pythonic)
        {
            return Join("\"[\"", PythonicCall(builder, tools), MoreCalls(builder), "\"]\"");
        }

        var call = Call(builder, tools);
        return _tools.AllowMultipleCalls ? $"{call} (\"\\n\" {call}){{0,{MaxCallsPerReply - 1}}}" : call;
    }

    private string Alias(Llama4ToolDefinition tool) => _aliases![tool.Name];

    private string PythonicHead(Llama4ToolDefinition tool) => "[" + Alias(tool) + "(";

    // The calls after the first in a pythonic list, when several are allowed.
    private string MoreCalls(GbnfGrammarBuilder builder) =>
        _tools.AllowMultipleCalls ? $"(\", \" {PythonicCall(builder, CallableTools())}){{0,{MaxCallsPerReply - 1}}}" : string.Empty;

    private string PythonicCall(GbnfGrammarBuilder builder, IEnumerable<Llama4ToolDefinition> tools)
    {
        var alternatives = tools.Select(tool => Join(GbnfGrammarBuilder.Literal(Alias(tool) + "("), KeywordArguments(builder, tool), "\")\""));
        return builder.AddRule("call", string.Join(" | ", alternatives));
    }

    /// <summary>
    /// The keyword arguments of a pythonic call (between the parentheses), from the parameters schema: its properties
    /// in declared order, each <c>name=value</c> with the value constrained by the property's schema, the required ones
    /// present, separated by <c>", "</c>. Empty for a tool without parameters.
    /// </summary>
    private string KeywordArguments(GbnfGrammarBuilder builder, Llama4ToolDefinition tool)
    {
        if (tool.ParametersSchema is not { } schema)
        {
            return string.Empty;
        }

        if (_unenforceable.Contains(tool.Name))
        {
            return FreeKeywordArguments(builder);
        }

        try
        {
            return SchemaKeywordArguments(builder, schema, Alias(tool));
        }
        catch (Llama4JsonSchemaException) when (_tools.Mode == Llama4ToolMode.Auto)
        {
            // Auto mode still offers the tool; its arguments are generated unconstrained (the engine logs it).
            _unenforceable.Add(tool.Name);
            return FreeKeywordArguments(builder);
        }
        catch (Llama4JsonSchemaException ex)
        {
            throw new Llama4JsonSchemaException(
                $"ToolMode Required needs schema-valid arguments, but the parameters schema of tool '{tool.Name}' cannot be enforced as pythonic keyword arguments: {ex.Message} " +
                "Change the tool's schema, use the JSON call style, or use ToolMode Auto (the arguments are then checked after generation only).",
                ex);
        }
    }

    private static string SchemaKeywordArguments(GbnfGrammarBuilder builder, JsonElement schema, string alias)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            throw JsonSchemaConverter.Error("type", "#", "the parameters schema is not a JSON object schema.");
        }

        foreach (var keyword in (ReadOnlySpan<string>)["$ref", "anyOf", "oneOf", "allOf", "not", "if"])
        {
            if (schema.TryGetProperty(keyword, out _))
            {
                throw JsonSchemaConverter.Error(keyword, "#/" + keyword, $"keyword arguments need the parameters at the top of the schema, under \"properties\", not behind \"{keyword}\".");
            }
        }

        if (schema.TryGetProperty("additionalProperties", out var extra) && extra.ValueKind is not (JsonValueKind.False or JsonValueKind.Undefined))
        {
            throw JsonSchemaConverter.Error("additionalProperties", "#/additionalProperties", "keyword arguments beyond the declared properties cannot be constrained.");
        }

        var required = schema.TryGetProperty("required", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!).ToHashSet(StringComparer.Ordinal)
            : [];
        var properties = new List<(string Name, string Value, bool Required)>();
        if (schema.TryGetProperty("properties", out var declared) && declared.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in declared.EnumerateObject())
            {
                if (!ToolNameAliases.IsIdentifier(property.Name))
                {
                    throw JsonSchemaConverter.Error("properties", JsonSchemaConverter.Child("#/properties", property.Name), $"the parameter name '{property.Name}' is not a Python identifier, so it cannot be a keyword argument.");
                }

                var value = builder.AddJsonSchema(WithDefinitions(property.Value, schema), alias + "-" + property.Name);
                properties.Add((property.Name, value, required.Contains(property.Name)));
            }
        }

        foreach (var name in required)
        {
            if (!properties.Exists(p => p.Name == name))
            {
                throw JsonSchemaConverter.Error("required", "#/required", $"the required parameter '{name}' has no schema under \"properties\".");
            }
        }

        return KeywordList(builder, alias, properties);
    }

    /// <summary>A property's schema with the root's <c>$defs</c> / <c>definitions</c>, so that its local references resolve.</summary>
    private static JsonElement WithDefinitions(JsonElement property, JsonElement root)
    {
        if (property.ValueKind != JsonValueKind.Object)
        {
            return property;
        }

        var node = JsonNode.Parse(property.GetRawText())!.AsObject();
        foreach (var key in (ReadOnlySpan<string>)["$defs", "definitions"])
        {
            if (root.TryGetProperty(key, out var definitions) && !node.ContainsKey(key))
            {
                node[key] = JsonNode.Parse(definitions.GetRawText());
            }
        }

        return JsonSerializer.SerializeToElement(node);
    }

    // name=value pairs in declared order: optional ones may be left out, required ones may not (the same shape as a
    // JSON object's members, without braces and with "=").
    private static string KeywordList(GbnfGrammarBuilder builder, string alias, List<(string Name, string Value, bool Required)> properties)
    {
        if (properties.Count == 0)
        {
            return string.Empty;
        }

        const string Separator = "\", \"";
        var members = properties.Select(p => builder.AddRule(alias + "-kw-" + p.Name, Join(GbnfGrammarBuilder.Literal(p.Name + "="), p.Value))).ToList();
        var rest = new string[properties.Count + 1];
        rest[properties.Count] = string.Empty;
        for (var j = properties.Count - 1; j >= 1; j--)
        {
            var piece = builder.AddRule(alias + "-kw-next-" + properties[j].Name, Join(Separator, members[j]));
            rest[j] = builder.AddRule(alias + "-kw-rest", Join(properties[j].Required ? piece : "(" + piece + ")?", rest[j + 1]));
        }

        // The first argument written: any optional one up to and including the first required one.
        var first = new List<string>();
        var hasRequired = false;
        for (var k = 0; k < properties.Count; k++)
        {
            first.Add(Join(members[k], rest[k + 1]));
            if (properties[k].Required)
            {
                hasRequired = true;
                break;
            }
        }

        var body = builder.AddRule(alias + "-kwargs", string.Join(" | ", first));
        return hasRequired ? body : "(" + body + ")?";
    }

    // Any keyword arguments (a tool whose schema cannot be enforced, Auto mode): name=value with any Python value.
    private static string FreeKeywordArguments(GbnfGrammarBuilder builder)
    {
        var argument = builder.AddRule("free-kw", $"[a-zA-Z_] [a-zA-Z0-9_]{{0,{MaxKeywordLength - 1}}} \"=\" {builder.AddAnyJsonValue()}");
        return $"({argument} (\", \" {argument}){{0,{MaxFreeKeywordArguments - 1}}})?";
    }

    private string Call(GbnfGrammarBuilder builder, IEnumerable<Llama4ToolDefinition> tools)
    {
        var alternatives = tools.Select(tool =>
            GbnfGrammarBuilder.Literal("{\"name\": " + JsonSerializer.Serialize(tool.Name) + ", \"parameters\": ") + " " + Arguments(builder, tool) + " \"}\"");
        return builder.AddRule("call", string.Join(" | ", alternatives));
    }

    private string Arguments(GbnfGrammarBuilder builder, Llama4ToolDefinition tool)
    {
        if (tool.ParametersSchema is not { } schema)
        {
            return builder.AddRule("no-arguments", "\"{}\"");
        }

        if (_unenforceable.Contains(tool.Name))
        {
            return builder.AddAnyJsonObject();
        }

        try
        {
            return builder.AddJsonSchema(schema, tool.Name + "-arguments");
        }
        catch (Llama4JsonSchemaException) when (_tools.Mode == Llama4ToolMode.Auto)
        {
            // Auto mode still offers the tool; its arguments are generated unconstrained (the engine logs it).
            _unenforceable.Add(tool.Name);
            return builder.AddAnyJsonObject();
        }
        catch (Llama4JsonSchemaException ex)
        {
            throw new Llama4JsonSchemaException(
                $"ToolMode Required needs schema-valid arguments, but the parameters schema of tool '{tool.Name}' cannot be enforced: {ex.Message} " +
                "Remove that keyword from the tool's schema, or use ToolMode Auto (the arguments are then checked after generation only).",
                ex);
        }
    }
}
