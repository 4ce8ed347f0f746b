namespace CustomerService.Conversation;

/// <summary>What a line of a conversation script does.</summary>
internal enum ScriptCommandKind
{
    /// <summary><c>user: TEXT</c> or <c>user[TOOL]: TEXT</c>: a user turn.</summary>
    User,

    /// <summary><c>approve</c>: approves the pending tool call.</summary>
    Approve,

    /// <summary><c>deny</c>: denies the pending tool call.</summary>
    Deny,

    /// <summary><c>restart</c>: saves, tears the agent down and starts it again from the data folder.</summary>
    Restart,
}
