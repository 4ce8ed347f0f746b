namespace Llama4.Core.Inference;

/// <summary>
/// Counts the distinct KV cells that live sequences hold when prefixes are shared (a sequence is represented by the
/// tail of its chain of <see cref="KvCellRun"/>s; null is an empty sequence). Pure bookkeeping: it never touches
/// llama.cpp, and the caller performs the matching native operation.
/// </summary>
internal sealed class KvCellMap
{
    /// <summary>Gets the number of distinct cells held by all chains.</summary>
    public int DistinctCells { get; private set; }

    /// <summary>Adds <paramref name="count"/> cells after the end of a chain the caller holds alone or shares.</summary>
    /// <returns>The new tail.</returns>
    public KvCellRun? Append(KvCellRun? tail, int count)
    {
        if (count <= 0)
        {
            return tail;
        }

        DistinctCells += count;

        // A tail held by this sequence alone has no other holder and no children: it grows in place.
        if (tail is { References: 1 })
        {
            tail.Length += count;
            return tail;
        }

        return new KvCellRun(tail, count) { References = 1 };
    }

    /// <summary>Shares the first <paramref name="length"/> cells of a chain with a new, empty sequence (no new distinct cells).</summary>
    /// <returns>The new sequence's tail.</returns>
    public static KvCellRun? Share(KvCellRun? tail, int length)
    {
        var prefix = PrefixTail(tail, length);
        for (var run = prefix; run is not null; run = run.Parent)
        {
            run.References++;
        }

        return prefix;
    }

    /// <summary>Shortens a chain to its first <paramref name="length"/> cells, freeing cells no other chain holds.</summary>
    /// <returns>The new tail.</returns>
    public KvCellRun? Truncate(KvCellRun? tail, int length)
    {
        var prefix = PrefixTail(tail, length);
        for (var run = tail; run is not null && run != prefix; run = run.Parent)
        {
            Dereference(run);
        }

        return prefix;
    }

    /// <summary>Drops a chain, freeing cells no other chain holds.</summary>
    public void Release(KvCellRun? tail)
    {
        for (var run = tail; run is not null; run = run.Parent)
        {
            Dereference(run);
        }
    }

    /// <summary>Counts the cells at positions from <paramref name="position"/> on that only this chain holds (what truncating it there frees).</summary>
    public static int ExclusiveCellsFrom(KvCellRun? tail, int position)
    {
        var count = 0;

        // Reference counts never grow towards the tail, so the exclusive runs are the tail end of the chain.
        for (var run = tail; run is { References: 1 }; run = run.Parent)
        {
            count += Math.Max(0, run.End - Math.Max(run.Start, position));
        }

        return count;
    }

    /// <summary>Counts the cells of a chain: its length in tokens.</summary>
    public static int Length(KvCellRun? tail) => tail?.End ?? 0;

    private void Dereference(KvCellRun run)
    {
        run.References--;
        if (run.References == 0)
        {
            DistinctCells -= run.Length;
        }
    }

    /// <summary>Returns the run that ends exactly at <paramref name="length"/> on the chain, splitting a run when needed.</summary>
    private static KvCellRun? PrefixTail(KvCellRun? tail, int length)
    {
        var run = tail;
        while (run is not null && run.Start >= length)
        {
            run = run.Parent;
        }

        if (run is null || run.End <= length)
        {
            return run;
        }

        // Split in place: the run object keeps the part after the cut (so its children and every chain that ends in it
        // stay valid) and a new run before it takes the part up to the cut, with the same holders.
        var head = new KvCellRun(run.Parent, length - run.Start) { References = run.References };
        run.Length = run.End - length;
        run.Start = length;
        run.Parent = head;
        return head;
    }
}
