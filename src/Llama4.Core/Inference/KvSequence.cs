using System.Runtime.InteropServices;
using LLama.Batched;

namespace Llama4.Core.Inference;

/// <summary>
/// One llama.cpp sequence owned by the inference loop: its conversation, the ledger of tokens its KV cells hold, and
/// what the cache needs to match later requests against it. A sequence is either owned by a running request or idle
/// (kept for reuse until evicted).
/// </summary>
internal sealed class KvSequence
{
    private readonly List<int> _tokens = [];

    public KvSequence(Conversation conversation)
    {
        Conversation = conversation;
    }

    public Conversation Conversation { get; }

    /// <summary>Gets the tokens the sequence holds or has queued for decoding, in position order.</summary>
    public IReadOnlyList<int> Tokens => _tokens;

    /// <summary>Gets the number of leading <see cref="Tokens"/> whose KV cells are written (the rest are queued).</summary>
    public int DecodedCount { get; private set; }

    /// <summary>Gets or sets the tail of the sequence's chain of KV cell runs.</summary>
    public KvCellRun? Cells { get; set; }

    /// <summary>Gets or sets the conversation id the sequence answers to, or null.</summary>
    public string? ConversationId { get; set; }

    /// <summary>Gets or sets the tokens at the start that form the shared preamble (system turn and tool definitions).</summary>
    public int PreambleLength { get; set; }

    /// <summary>Gets or sets the logical time of last use, for least-recently-used eviction.</summary>
    public long LastUsed { get; set; }

    /// <summary>Gets or sets the request running on the sequence, or null when idle.</summary>
    public GenerationSession? Owner { get; set; }

    public bool IsIdle => Owner is null;

    /// <summary>Gets the decoded tokens as a span (valid until the ledger changes).</summary>
    public ReadOnlySpan<int> DecodedTokens => CollectionsMarshal.AsSpan(_tokens)[..DecodedCount];

    /// <summary>Records tokens queued for decoding.</summary>
    public void AddQueued(ReadOnlySpan<int> tokens) => _tokens.AddRange(tokens);

    /// <summary>Records one token queued for decoding.</summary>
    public void AddQueued(int token) => _tokens.Add(token);

    /// <summary>Records that every queued token is decoded.</summary>
    public void MarkDecoded() => DecodedCount = _tokens.Count;

    /// <summary>Cuts the ledger to its first <paramref name="length"/> tokens (all decoded).</summary>
    public void TruncateTo(int length)
    {
        _tokens.RemoveRange(length, _tokens.Count - length);
        DecodedCount = Math.Min(DecodedCount, length);
    }

    /// <summary>Replaces the ledger with decoded tokens (a copied prefix or a restored state).</summary>
    public void SetDecoded(ReadOnlySpan<int> tokens)
    {
        _tokens.Clear();
        _tokens.AddRange(tokens);
        DecodedCount = _tokens.Count;
    }
}
