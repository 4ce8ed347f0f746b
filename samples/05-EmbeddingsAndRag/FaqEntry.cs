/// <summary>One record of the knowledge base: a question, its answer, and the embedding of both.</summary>
internal sealed record FaqEntry(int Id, string Question, string Answer)
{
    public ReadOnlyMemory<float> Embedding { get; init; }

    /// <summary>Gets the text that is embedded and that the model reads as context.</summary>
    public string Text => $"Q: {Question}\nA: {Answer}";
}
