using Microsoft.Extensions.AI;

namespace Llama4.Extensions.AI.ChatReduction;

/// <summary>Materializes a reducer's input once and checks it.</summary>
internal static class ChatReductionInput
{
    public static List<ChatMessage> ToList(IEnumerable<ChatMessage> messages)
    {
        var list = new List<ChatMessage>(messages);
        foreach (var message in list)
        {
            ArgumentNullException.ThrowIfNull(message, nameof(messages));
        }

        return list;
    }
}
