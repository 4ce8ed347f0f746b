using Microsoft.Extensions.AI;

namespace CodingAgent.ConsoleUi;

/// <summary>What one user turn did.</summary>
/// <param name="AssistantText">The text the model streamed.</param>
/// <param name="ToolCalls">The tool calls the model made.</param>
/// <param name="ToolResults">The results the tools returned (denied calls included, as the model read them).</param>
/// <param name="Approvals">Each approval request's tool name and whether it was approved, in order.</param>
/// <param name="Statistics">Memory statistics after the turn.</param>
internal sealed record TurnReport(
    string AssistantText,
    IReadOnlyList<FunctionCallContent> ToolCalls,
    IReadOnlyList<FunctionResultContent> ToolResults,
    IReadOnlyList<(string ToolName, bool Approved)> Approvals,
    TurnStatistics Statistics);
