namespace Llama4.Core.Tests;

/// <summary>
/// KV reuse in conversations longer than two 8192-token attention chunks, with the default small SWA cache: appends
/// reuse everything; an edit inside the current chunk reuses up to the edit; an edit in an earlier chunk whose cells
/// llama.cpp has recycled re-processes from that chunk's start. Every reuse is compared with the same prompt processed
/// from scratch.
/// </summary>
public sealed class Llama4EngineLongContextTests(LongContextFixture fixture) : IClassFixture<LongContextFixture>
{
    /// <summary>Reused and fresh logits agree to about 1e-4 here (tails of 64+ tokens); a broken cache moves them by more than 1.</summary>
    private const float LogitTolerance = 1e-2f;

    private readonly Llama4Engine _engine = fixture.Reusing;
    private readonly Llama4Engine _stateless = fixture.Stateless;

    [Fact]
    public async Task GenerateAsync_ConversationAcrossThreeChunks_ReusesAppendsAndRecoversFromRecycledChunks()
    {
        var chunk = _engine.ChunkSize;
        Assert.Equal(8192, chunk);
        Assert.Equal(131072, _engine.ContextSize);

        // Turn 1: about 17,000 tokens, so the conversation already spans three chunks (0, 1 and 2).
        var chat = new Chat("Long context: a reader discusses two long documents.")
            .User("First document: " + Filler(_engine, 9000, "alpha"))
            .Assistant("Read it.")
            .User("Second document: " + Filler(_engine, 8000, "beta"))
            .Assistant("Read that too.")
            .User("Compare them?");
        Shape(chat, cachedPrefix: 0);
        var (first, _) = await Chat.RunAsync(_engine, chat.Request(), TestContext.Current.CancellationToken);
        Assert.InRange(first.Usage.PromptTokens, (2 * chunk) + 100, (2 * chunk) + 2000);

        // Turn 2 appends: everything before is reused, and the result matches a from-scratch run.
        chat.Assistant("They differ.").User("How do they differ?");
        Shape(chat, cachedPrefix: first.Usage.PromptTokens);
        var (second, secondLogits) = await Chat.RunAsync(_engine, chat.Request(), TestContext.Current.CancellationToken);
        var (_, freshSecond) = await Chat.RunAsync(_stateless, chat.Request(), TestContext.Current.CancellationToken);
        Assert.True(second.Usage.CachedPromptTokens >= first.Usage.PromptTokens);
        Assert.InRange(Chat.MaxDifference(secondLogits, freshSecond), 0f, LogitTolerance);

        // An edit of the last user message (inside the current chunk) reuses everything up to the edit.
        var withEditedLast = new Chat(chat);
        withEditedLast.Replace(withEditedLast.Messages.Count - 1, new Llama4Message(Llama4Role.User, "Why do they differ?"));
        Shape(withEditedLast, cachedPrefix: Chat.CommonPrefix(_engine, chat.Prompt(), withEditedLast.Prompt()));
        var (editedLast, _) = await Chat.RunAsync(_engine, withEditedLast.Request(), TestContext.Current.CancellationToken);
        Assert.Equal(Chat.CommonPrefix(_engine, chat.Prompt(), withEditedLast.Prompt()), editedLast.Usage.CachedPromptTokens);
        Assert.True(editedLast.Usage.CachedPromptTokens > 2 * chunk);

        // The chunked-attention cache (8192 + 512 cells for one sequence) has recycled the cells of chunk 1 while the
        // conversation grew into chunk 2. An edit of the second document (which starts in chunk 1) can therefore
        // reuse only chunk 0, and the rest is re-processed from the chunk boundary.
        var before = _engine.GetStatistics();
        var withEditedDocument = new Chat(withEditedLast);
        withEditedDocument.Replace(3, new Llama4Message(Llama4Role.User, "Second document, revised: " + Filler(_engine, 8000, "beta")));
        Shape(withEditedDocument, cachedPrefix: chunk);
        var (editedDocument, editedDocumentLogits) = await Chat.RunAsync(_engine, withEditedDocument.Request(), TestContext.Current.CancellationToken);
        var (_, freshEditedDocument) = await Chat.RunAsync(_stateless, withEditedDocument.Request(), TestContext.Current.CancellationToken);
        var matched = Chat.CommonPrefix(_engine, withEditedLast.Prompt(), withEditedDocument.Prompt());
        Assert.InRange(matched, chunk + 1, 2 * chunk - 1);
        Assert.Equal(chunk, editedDocument.Usage.CachedPromptTokens);
        Assert.Equal(before.ChunkLimitedReuses + 1, _engine.GetStatistics().ChunkLimitedReuses);
        Assert.InRange(Chat.MaxDifference(editedDocumentLogits, freshEditedDocument), 0f, LogitTolerance);
    }

    /// <summary>
    /// Lengthens the last user message until the prompt's last 512-token micro-batch holds at least 64 tokens, both
    /// for a from-scratch prefill and for a decode of the tail after <paramref name="cachedPrefix"/> reused tokens (see
    /// the fixture), and that tail is at least 64 tokens long.
    /// </summary>
    private void Shape(Chat chat, int cachedPrefix)
    {
        const int MicroBatch = 512;
        const int Minimum = 64;
        var last = chat.Messages.Count - 1;
        var text = chat.Messages[last].Content;
        var word = 0;
        while (true)
        {
            var length = _engine.CountTokens(chat.Prompt());
            var tail = length - cachedPrefix;
            if (length % MicroBatch >= Minimum && tail >= Minimum && (tail % MicroBatch == 0 || tail % MicroBatch >= Minimum))
            {
                return;
            }

            text += $" word{word++ % 10}";
            chat.Replace(last, new Llama4Message(Llama4Role.User, text));
        }
    }

    /// <summary>Text of at least <paramref name="tokens"/> tokens (and not many more).</summary>
    private static string Filler(Llama4Engine engine, int tokens, string theme)
    {
        var builder = new System.Text.StringBuilder();
        var sentences = 0;
        int count;
        while ((count = engine.CountTokens(builder.ToString())) < tokens)
        {
            var perSentence = sentences == 0 ? 40 : Math.Max(1, count / sentences);
            var add = Math.Max(1, (tokens - count) / perSentence / 2);
            for (var i = 0; i < add; i++, sentences++)
            {
                builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"The {theme} report lists item {sentences % 1000} with value {sentences * 7 % 1000} and a short note. ");
            }
        }

        return builder.ToString();
    }
}
