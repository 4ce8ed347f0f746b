using Llama4.Core.ToolCalling;

namespace Llama4.Core.Tests.ToolCalling;

/// <summary>Everything a parser released over one reply, concatenated.</summary>
internal sealed record ParseOutcome(
    string Text,
    IReadOnlyList<ParsedToolCall> Calls,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> TextPieces);
