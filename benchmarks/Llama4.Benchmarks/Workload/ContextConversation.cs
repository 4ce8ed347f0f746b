using Llama4.Extensions.AI;
using Microsoft.Extensions.AI;

namespace Llama4.Benchmarks.Workload;

/// <summary>
/// A long conversation and the new questions asked after it: the request of turn <i>k</i> is the whole history (system
/// prompt, alternating user messages and assistant answers, ending with an answer) plus follow-up question <i>k</i>, as
/// an application sends it to an <see cref="IChatClient"/>. Every contender gets the same turns in the same order.
/// </summary>
internal sealed class ContextConversation
{
    public const string SystemPrompt =
        "You are the engineering assistant of Contoso's platform team. Answer precisely, show code where it helps, " +
        "say which metric would confirm a diagnosis, and keep each answer focused on the question asked.";

    /// <summary>Tokens of slack when keeping the history's end and the longest request in one attention chunk (the count includes the assistant header).</summary>
    private const int ChunkMargin = 16;

    private ContextConversation(IReadOnlyList<ChatMessage> history, IReadOnlyList<string> questions, int historyTokens, int userTurns)
    {
        History = history;
        Questions = questions;
        HistoryTokens = historyTokens;
        UserTurns = userTurns;
        Characters = history.Sum(m => m.Text.Length);
    }

    /// <summary>Gets the conversation so far, ending with an assistant answer.</summary>
    public IReadOnlyList<ChatMessage> History { get; }

    /// <summary>Gets the new user messages: turn <i>k</i> asks question <c>k % Count</c>.</summary>
    public IReadOnlyList<string> Questions { get; }

    /// <summary>Gets the tokens of the history as Llama4ChatClient formats it (with the assistant header a request ends with).</summary>
    public int HistoryTokens { get; }

    /// <summary>Gets the user messages in the history.</summary>
    public int UserTurns { get; }

    /// <summary>Gets the characters of the history's message texts.</summary>
    public int Characters { get; }

    /// <summary>
    /// Writes a conversation of at least <paramref name="targetTokens"/> tokens, turn by turn from one seeded text
    /// stream (so a larger history starts like a smaller one). When the cache of a chunked-attention model could not
    /// take the next turn back to the end of the history (the end of the history and the end of the longest request fall
    /// in different <paramref name="chunkSize"/>-token chunks, see <c>Llama4EngineOptions.FullSizeSwaCache</c>), the last
    /// answer is lengthened until they do not: every measured turn then reuses the whole history.
    /// </summary>
    /// <param name="counter">Counts tokens as the client formats them.</param>
    /// <param name="targetTokens">The least history tokens.</param>
    /// <param name="chunkSize">The model's attention chunk (<c>Llama4Engine.ChunkSize</c>); 0 for none.</param>
    /// <param name="questionCount">How many different follow-up questions to prepare.</param>
    public static ContextConversation Create(Llama4ChatTokenCounter counter, int targetTokens, int chunkSize, int questionCount)
    {
        ArgumentNullException.ThrowIfNull(counter);
        var text = new ConversationText(seed: 1);
        var history = new List<ChatMessage> { new(ChatRole.System, SystemPrompt) };
        var userTurns = 0;
        while (counter.CountTokens(history) < targetTokens)
        {
            history.Add(new ChatMessage(ChatRole.User, text.UserMessage()));
            history.Add(new ChatMessage(ChatRole.Assistant, text.AssistantMessage()));
            userTurns++;
        }

        var followUps = new ConversationText(seed: 2);
        var questions = Enumerable.Range(0, questionCount).Select(_ => followUps.FollowUp()).ToList();
        if (chunkSize > 0)
        {
            var asked = questions.Select(q => new ChatMessage(ChatRole.User, q)).ToList();
            int LongestRequest() => asked.Max(q => counter.CountTokens([.. history, q]));
            while ((counter.CountTokens(history) - ChunkMargin) / chunkSize != LongestRequest() / chunkSize)
            {
                var last = history[^1];
                history[^1] = new ChatMessage(ChatRole.Assistant, last.Text + " " + text.Sentence());
            }
        }

        return new ContextConversation(history, questions, counter.CountTokens(history), userTurns);
    }

    /// <summary>The messages of turn <paramref name="turn"/>: the history and one new question.</summary>
    public IReadOnlyList<ChatMessage> MessagesFor(int turn) =>
        [.. History, new ChatMessage(ChatRole.User, Questions[turn % Questions.Count])];
}
