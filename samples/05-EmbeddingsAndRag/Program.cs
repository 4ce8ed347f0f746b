// 05 Embeddings and RAG: answer from your own documents, with one Llama 4 engine doing both the embedding and the chat.
// Llama4EmbeddingGenerator (an IEmbeddingGenerator over the same loaded weights as the chat client) turns each FAQ entry
// into a vector; the vectors go into a Microsoft.Extensions.VectorData collection; each question is embedded the same
// way, the closest entries are retrieved, and the chat client answers from them alone (retrieval-augmented generation).
// On the demo model the vectors come from random weights too, so which entries are "closest" is arbitrary.
//
//   dotnet run --project samples/05-EmbeddingsAndRag -c Release                        (demo model: random weights)
//   dotnet run --project samples/05-EmbeddingsAndRag -c Release -- --model scout.gguf
using System.Globalization;
using Llama4.Extensions.AI;
using Llama4.Samples;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using Spectre.Console;

var arguments = SampleArguments.Parse(args, "05-EmbeddingsAndRag");
if (arguments is null)
{
    return 2;
}

await using var engine = await SampleModel.LoadEngineAsync(arguments);
using var embedder = new Llama4EmbeddingGenerator(engine);
using var chat = new Llama4ChatClient(engine);

FaqEntry[] faq =
[
    new(1, "How long does delivery take?", "Standard delivery takes 3 to 5 working days; express delivery arrives the next working day."),
    new(2, "Can I return an item?", "Unused items can be returned within 30 days for a full refund; the return label is free."),
    new(3, "When will I get my refund?", "Refunds reach the original payment method within 5 working days after the return arrives."),
    new(4, "Do you ship abroad?", "We ship to every EU country; delivery abroad takes 5 to 8 working days."),
    new(5, "How do I reset my password?", "Choose 'Forgot password' on the sign-in page; the reset link is valid for one hour."),
];

// 1. Index: one call embeds every entry (texts are decoded together, one sequence each).
SampleConsole.Step($"1. Index {faq.Length} FAQ entries");
var vectors = await embedder.GenerateAsync(faq.Select(entry => entry.Text));
VectorStoreCollection<int, FaqEntry> collection = new InMemoryVectorCollection<int, FaqEntry>("faq", entry => entry.Id, entry => entry.Embedding, embedder);
await collection.EnsureCollectionExistsAsync();
await collection.UpsertAsync(faq.Select((entry, i) => entry with { Embedding = vectors[i].Vector }));
AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]{vectors.Count} vectors of {engine.EmbeddingDimensions} dimensions; {vectors.Usage?.InputTokenCount} tokens embedded.[/]");

string[] questions = ["My parcel still hasn't arrived, how long should it take?", "I sent the shoes back last week. Where is my money?"];
foreach (var question in questions)
{
    // 2. Retrieve: the two entries whose vectors are closest to the question's.
    SampleConsole.Step("2. Retrieve, then 3. answer from what was retrieved");
    SampleConsole.Say("user", question);
    var hits = await collection.SearchAsync(question, top: 2).ToListAsync();
    var table = new Table().AddColumns("Score", "Retrieved entry");
    foreach (var hit in hits)
    {
        table.AddRow((hit.Score ?? 0).ToString("0.000", CultureInfo.InvariantCulture), Markup.Escape(hit.Record.Question));
    }

    AnsiConsole.Write(table);

    // 3. Generate: the retrieved entries become the context of the prompt.
    var context = string.Join("\n\n", hits.Select(hit => hit.Record.Text));
    var response = await chat.GetResponseAsync(
        [
            new ChatMessage(ChatRole.System, "You answer customer questions using only the FAQ entries below. If they do not cover the question, say so.\n\n" + context),
            new ChatMessage(ChatRole.User, question),
        ],
        new ChatOptions { MaxOutputTokens = arguments.MaxOutputTokens });
    SampleConsole.Say("assistant", response.Text);
    SampleConsole.Usage(response.Usage);
}

return 0;
