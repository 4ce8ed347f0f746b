using System.Text.Json;
using Llama4.Core.Grammars;

namespace Llama4.Core.ToolCalling;

/// <summary>
/// The grammars that constrain tool calls of one request (JSON call style): the whole reply in Required mode, the calls
/// after <c>&lt;|python_start|&gt;</c> in Auto mode, and the rest of a call that the model has started on a line of its own.
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

    private static readonly string[] NameOpenings = ["{\"name\": ", "{\"name\":", "{ \"name\": "];
    private static readonly string[] ArgumentKeys = ["parameters", "arguments"];

    private readonly Llama4ToolOptions _tools;
    // Tools whose schema a grammar cannot enforce, found while the first grammar is built (each schema is converted
    // once per builder, never probed separately).
    private readonly HashSet<string> _unenforceable = new(StringComparer.Ordinal);
    private readonly int _longestHead;

    private ToolCallGrammarSet(Llama4ToolOptions tools)
    {
        _tools = tools;
        _longestHead = tools.Tools.Max(t => Heads(t.Name).Max(h => h.Text.Length));
        AfterMarker = Build(builder => Calls(builder, CallableTools()));
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
    /// tools in Auto mode) as the alternative to tool calls.
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
            return tools is null ? reply : $"{reply} | {tools.Calls(builder, tools.CallableTools())}";
        });
    }

    /// <summary>
    /// Returns the grammar for the rest of a call the model has begun on its own line, or null while the line is not
    /// (yet) the opening of a call of an offered tool. The call counts as begun once the line holds an opening
    /// (<c>{"name": "</c>, a few spacings) and at least the first character of an offered tool's name.
    /// </summary>
    /// <param name="line">The text of the current line so far, without leading spaces.</param>
    public Llama4Grammar? ForStartedCall(string line)
    {
        if (line.Length == 0 || line[0] != '{' || line.Length > _longestHead)
        {
            return null;
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

        return Build(builder =>
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

    private static Llama4Grammar Build(Func<GbnfGrammarBuilder, string> root)
    {
        var builder = new GbnfGrammarBuilder(ArgumentBounds);
        return builder.Build(root(builder));
    }

    internal string Calls(GbnfGrammarBuilder builder, IEnumerable<Llama4ToolDefinition> tools)
    {
        var call = Call(builder, tools);
        return _tools.AllowMultipleCalls ? $"{call} (\"\\n\" {call}){{0,{MaxCallsPerReply - 1}}}" : call;
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
