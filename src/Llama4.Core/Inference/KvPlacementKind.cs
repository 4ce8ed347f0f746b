namespace Llama4.Core.Inference;

/// <summary>How a request gets its sequence.</summary>
internal enum KvPlacementKind
{
    /// <summary>A new, empty sequence: the whole prompt is decoded.</summary>
    Fresh,

    /// <summary>An idle sequence of the same conversation is taken over: its diverging tail is removed, the rest reused.</summary>
    TakeOver,

    /// <summary>A new sequence starts from a copy of another sequence's prefix (shared cells in a unified cache).</summary>
    Fork,
}
