using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using LLama;
using Llama4.Core.Inference.Sampling;
using Llama4.Core.ToolCalling;

namespace Llama4.Core.Inference;

/// <summary>
/// One request inside the inference loop. The caller side only reads <see cref="Output"/>, sets
/// <see cref="CancelRequested"/> and awaits <see cref="Released"/>; everything else belongs to the loop.
/// </summary>
internal sealed class GenerationSession
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _cancelRequested;

    public GenerationSession(int[] promptTokens, Llama4SamplingOptions sampling, int? maxOutputTokens, IReadOnlyList<string> stopSequences, Llama4Grammar? grammar)
    {
        Grammar = grammar;
        PromptTokens = promptTokens;
        Sampling = sampling;
        MaxOutputTokens = maxOutputTokens;
        Stops = new StopSequenceMatcher(stopSequences);
        SubmittedAt = Stopwatch.GetTimestamp();
    }

    public int[] PromptTokens { get; }

    public Llama4SamplingOptions Sampling { get; }

    public int? MaxOutputTokens { get; }

    public Llama4Grammar? Grammar { get; }

    public StopSequenceMatcher Stops { get; }

    public Channel<Llama4GenerationUpdate> Output { get; } = Channel.CreateUnbounded<Llama4GenerationUpdate>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    /// <summary>Completes once the loop has given the sequence back (or never took one).</summary>
    public Task Released => _released.Task;

    public bool CancelRequested => _cancelRequested;

    /// <summary>Gets the conversation id the request answers to (its cache affinity), or null.</summary>
    public string? ConversationId { get; init; }

    /// <summary>Gets the number of prompt tokens that form the shared preamble.</summary>
    public int PreambleLength { get; init; }

    /// <summary>Gets the prompt's images (with their mtmd chunks), in prompt order; disposed when the request is released.</summary>
    public IReadOnlyList<PromptImage> Images { get; init; } = [];

    /// <summary>Gets the number of prompt tokens images take.</summary>
    public int ImageTokens => Images.Sum(i => i.Length);

    /// <summary>Gets or sets how much of the prompt is queued or evaluated (loop-owned); text after an image is queued only once the image is in the cache.</summary>
    public int PromptCursor { get; set; }

    /// <summary>Gets a value indicating whether every prompt token is queued or evaluated, so the request may sample.</summary>
    public bool PromptQueued => PromptCursor >= PromptTokens.Length;

    // Loop-owned state.

    /// <summary>Gets or sets the sequence the request runs on, once admitted.</summary>
    public KvSequence? Sequence { get; set; }

    /// <summary>Gets a value indicating whether the first step's logits are recorded (tests).</summary>
    public bool CaptureFirstLogits { get; init; }

    /// <summary>Gets or sets the first step's logits when recorded.</summary>
    public float[]? FirstLogits { get; set; }

    /// <summary>Gets or sets the prompt tokens reused from the KV cache instead of being decoded.</summary>
    public int ReusedTokens { get; set; }

    /// <summary>Gets or sets the sequence's sampler (its chain, random source, penalties and grammar), once admitted.</summary>
    public SequenceSampler? Sampler { get; set; }

    public StreamingTokenDecoder? Decoder { get; set; }

    public int OutputTokens { get; set; }

    public int TokensSinceUpdate { get; set; }

    public long SubmittedAt { get; }

    /// <summary>Gets the tools the request offers, or null.</summary>
    public Llama4ToolOptions? Tools { get; init; }

    /// <summary>Gets the parser that turns output into tool calls when tools are offered.</summary>
    public ToolCallStreamParser? ToolCalls { get; init; }

    /// <summary>Gets or sets the grammars that constrain a call once the model starts one (Auto tool mode); null once applied.</summary>
    public ToolCallGrammarSet? ToolGrammars { get; set; }

    /// <summary>Gets the text of the current output line (to spot a call the model opens on its own line).</summary>
    public StringBuilder Line { get; } = new();

    /// <summary>Gets or sets a value indicating whether the current line can no longer become a call opening.</summary>
    public bool LineCannotStartCall { get; set; }

    /// <summary>Gets or sets how many tool calls were emitted so far.</summary>
    public int CallsEmitted { get; set; }

    /// <summary>Gets or sets a value indicating whether the final update was written; the loop then releases the sequence.</summary>
    public bool Finished { get; set; }

    /// <summary>Gets or sets the error that ends this request, if any.</summary>
    public Exception? Failure { get; set; }

    public long AdmittedAt { get; set; }

    public long FirstTokenAt { get; set; }

    /// <summary>Output cells this request still reserves in the context (its unused share of <see cref="MaxOutputTokens"/>).</summary>
    public int RemainingReservation => MaxOutputTokens is { } max ? Math.Max(0, max - OutputTokens) : 0;

    public void RequestCancel() => _cancelRequested = true;

    public void MarkReleased() => _released.TrySetResult();
}
