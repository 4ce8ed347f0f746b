namespace Llama4.Core.Inference;

/// <summary>
/// KV cells at consecutive positions, held by one or more sequences. In llama.cpp's unified cache a prefix copied into
/// another sequence shares its cells instead of duplicating them, so the runs form a tree: a sequence holds the chain
/// from its tail run up to the root. <see cref="KvCellMap"/> keeps the tree and the count of distinct cells.
/// </summary>
internal sealed class KvCellRun
{
    public KvCellRun(KvCellRun? parent, int length)
    {
        Parent = parent;
        Start = parent?.End ?? 0;
        Length = length;
    }

    /// <summary>Gets or sets the run holding the positions just before this one; null at the root.</summary>
    public KvCellRun? Parent { get; set; }

    /// <summary>Gets or sets the position of the first cell.</summary>
    public int Start { get; set; }

    /// <summary>Gets or sets the number of cells.</summary>
    public int Length { get; set; }

    /// <summary>Gets or sets how many sequences hold this run (a run's count is never larger than its parent's).</summary>
    public int References { get; set; }

    /// <summary>Gets the position after the last cell.</summary>
    public int End => Start + Length;
}
