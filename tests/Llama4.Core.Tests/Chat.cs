using Llama4.Testing;

namespace Llama4.Core.Tests;

/// <summary>A conversation under test: messages, greedy requests and helpers to collect results with first-step logits.</summary>
internal sealed class Chat
{
    private readonly List<Llama4Message> _messages = [];

    public Chat(string system)
    {
        _messages.Add(new Llama4Message(Llama4Role.System, system));
    }

    /// <summary>Copies another conversation (messages and id).</summary>
    public Chat(Chat other)
    {
        ArgumentNullException.ThrowIfNull(other);
        _messages.AddRange(other._messages);
        ConversationId = other.ConversationId;
    }

    public IReadOnlyList<Llama4Message> Messages => _messages;

    public string? ConversationId { get; init; }

    public Chat User(string text)
    {
        _messages.Add(new Llama4Message(Llama4Role.User, text));
        return this;
    }

    public Chat Assistant(string text)
    {
        _messages.Add(new Llama4Message(Llama4Role.Assistant, text));
        return this;
    }

    public void Replace(int index, Llama4Message message) => _messages[index] = message;

    public Llama4Prompt Prompt() => Llama4PromptFormatter.Format(_messages);

    /// <summary>A greedy request for the conversation so far.</summary>
    public Llama4GenerationRequest Request(int maxOutputTokens = 6) => new(Prompt())
    {
        MaxOutputTokens = maxOutputTokens,
        Sampling = new Llama4SamplingOptions { TopK = 1, Seed = 1 },
        ConversationId = ConversationId,
        CaptureFirstLogits = true,
    };

    /// <summary>Runs the request and collects it, with the first step's logits.</summary>
    public static async Task<(GenerationResult Result, float[] Logits)> RunAsync(Llama4Engine engine, Llama4GenerationRequest request, CancellationToken cancellationToken)
    {
        float[]? logits = null;
        var text = new System.Text.StringBuilder();
        Llama4GenerationUpdate? last = null;
        var updates = 0;
        var tokens = 0;
        await foreach (var update in engine.GenerateAsync(request, cancellationToken))
        {
            text.Append(update.Text);
            logits ??= update.FirstStepLogits;
            updates++;
            tokens += update.TokenCount;
            last = update;
        }

        return (new GenerationResult(text.ToString(), last!.FinishReason!.Value, last.Usage!, updates, tokens), logits!);
    }

    /// <summary>The largest absolute difference between two logit vectors.</summary>
    public static float MaxDifference(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        var max = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        }

        return max;
    }

    /// <summary>The number of leading tokens two prompts share, as the engine tokenizes them.</summary>
    public static int CommonPrefix(Llama4Engine engine, Llama4Prompt a, Llama4Prompt b)
    {
        var x = engine.TokenizePrompt(a);
        var y = engine.TokenizePrompt(b);
        return x.AsSpan().CommonPrefixLength(y);
    }
}
