namespace Llama4.Core.ToolCalling;

/// <summary>What one <see cref="ToolCallStreamParser.Append(string)"/> or <see cref="ToolCallStreamParser.Complete"/>
/// releases.</summary>
/// <param name="Text">Text to emit now; it comes before <paramref name="Calls"/> in the output (see
/// <see cref="ToolCallStreamParser"/> for the one exception in <see cref="ToolCallStreamParser.Complete"/>).</param>
/// <param name="Calls">Complete tool calls, in output order.</param>
/// <param name="Warnings">Diagnostics: malformed or unfinished calls returned as text, calls to tools that were not
/// offered, repairs made to a call. Meant for logs; they may quote model output.</param>
internal sealed record ToolCallParseResult(
    string Text,
    IReadOnlyList<ParsedToolCall> Calls,
    IReadOnlyList<string> Warnings)
{
    /// <summary>Gets a result that releases nothing.</summary>
    public static ToolCallParseResult Empty { get; } = new(string.Empty, [], []);
}
