using Llama4.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Microsoft.Extensions.AI;

/// <summary>Uses a Microsoft.Extensions.AI <see cref="IChatReducer"/> where Semantic Kernel expects an <see cref="IChatHistoryReducer"/>.</summary>
public static class ChatReducerSemanticKernelExtensions
{
    /// <summary>Wraps the reducer in a <see cref="ChatHistoryReducerAdapter"/>.</summary>
    /// <param name="reducer">The reducer, for example a <c>Llama4TruncatingChatReducer</c>.</param>
    /// <returns>A Semantic Kernel history reducer over it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reducer"/> is <see langword="null"/>.</exception>
    public static IChatHistoryReducer AsChatHistoryReducer(this IChatReducer reducer) => new ChatHistoryReducerAdapter(reducer);
}
