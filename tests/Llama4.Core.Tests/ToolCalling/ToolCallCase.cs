namespace Llama4.Core.Tests.ToolCalling;

/// <summary>One model output of the corpus and what the parser must make of it.</summary>
internal sealed record ToolCallCase(
    string Name,
    string Output,
    string ExpectedText,
    IReadOnlyList<ExpectedCall> Calls,
    bool ExpectWarnings);
