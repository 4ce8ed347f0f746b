using Microsoft.Extensions.AI;

namespace CustomerService.Conversation;

/// <summary>Where the conversation's turns and the human's approval decisions come from: the keyboard or a script.</summary>
internal interface IConversationInput
{
    /// <summary>Returns the next user turn or restart, or <see langword="null"/> when the conversation ends.</summary>
    ValueTask<ScriptCommand?> NextAsync(CancellationToken cancellationToken);

    /// <summary>Asks the human whether the requested tool call may run.</summary>
    bool Approve(ToolApprovalRequestContent request);
}
