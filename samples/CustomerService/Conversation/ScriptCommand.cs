namespace CustomerService.Conversation;

/// <summary>One command of a conversation script; <see cref="ForcedTool"/> is set by <c>user[TOOL]: TEXT</c>.</summary>
internal sealed record ScriptCommand(ScriptCommandKind Kind, int LineNumber, string? Text = null, string? ForcedTool = null);
