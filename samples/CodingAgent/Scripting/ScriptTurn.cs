namespace CodingAgent.Scripting;

/// <summary>One user turn of a script, with the approval answers that follow it.</summary>
/// <param name="LineNumber">The script line of the turn (1-based), for messages.</param>
/// <param name="Text">What the user says.</param>
/// <param name="RequiredTool">The tool the model must call first (<c>ChatToolMode.RequireSpecific</c>); <see langword="null"/> for Auto.</param>
/// <param name="Approvals">The answers to this turn's approval requests, in order (<see langword="true"/> approves).</param>
internal sealed record ScriptTurn(int LineNumber, string Text, string? RequiredTool, IReadOnlyList<bool> Approvals);
