using Llama4.Core.ToolCalling;

namespace Llama4.Core.Tests.ToolCalling;

/// <summary>A call a corpus case must produce; <paramref name="ArgumentsJson"/> is the arguments object.</summary>
internal sealed record ExpectedCall(string Name, string ArgumentsJson, ToolCallSyntax Syntax);
