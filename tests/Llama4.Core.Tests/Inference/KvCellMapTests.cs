using Llama4.Core.Inference;

namespace Llama4.Core.Tests.Inference;

public sealed class KvCellMapTests
{
    [Fact]
    public void Append_OwnTail_GrowsInPlaceAndCounts()
    {
        var map = new KvCellMap();

        var tail = map.Append(null, 10);
        var grown = map.Append(tail, 5);

        Assert.Same(tail, grown);
        Assert.Equal(15, KvCellMap.Length(grown));
        Assert.Equal(15, map.DistinctCells);
    }

    [Fact]
    public void Share_Prefix_CountsSharedCellsOnce()
    {
        var map = new KvCellMap();
        var a = map.Append(null, 100);

        var b = KvCellMap.Share(a, 60);
        b = map.Append(b, 30);

        Assert.Equal(100, KvCellMap.Length(a));
        Assert.Equal(90, KvCellMap.Length(b));
        Assert.Equal(130, map.DistinctCells);
        Assert.Equal(40, KvCellMap.ExclusiveCellsFrom(a, 0));
        Assert.Equal(30, KvCellMap.ExclusiveCellsFrom(b, 0));
    }

    [Fact]
    public void Truncate_IntoSharedPrefix_FreesOnlyExclusiveCells()
    {
        var map = new KvCellMap();
        var a = map.Append(null, 100);
        var b = map.Append(KvCellMap.Share(a, 60), 30);

        a = map.Truncate(a, 20);

        Assert.Equal(20, KvCellMap.Length(a));
        Assert.Equal(90, KvCellMap.Length(b));
        Assert.Equal(90, map.DistinctCells);
        Assert.Equal(0, KvCellMap.ExclusiveCellsFrom(a, 0));
        Assert.Equal(70, KvCellMap.ExclusiveCellsFrom(b, 0));
    }

    [Fact]
    public void Release_AllHolders_FreesEverything()
    {
        var map = new KvCellMap();
        var a = map.Append(null, 50);
        var b = map.Append(KvCellMap.Share(a, 50), 10);
        var c = map.Append(KvCellMap.Share(b, 55), 7);

        map.Release(b);
        Assert.Equal(50 + 5 + 7, map.DistinctCells);
        map.Release(a);
        Assert.Equal(62, map.DistinctCells);
        map.Release(c);

        Assert.Equal(0, map.DistinctCells);
    }

    [Fact]
    public void Append_AfterSharingTail_StartsOwnRun()
    {
        var map = new KvCellMap();
        var a = map.Append(null, 40);
        var b = KvCellMap.Share(a, 40);

        a = map.Append(a, 10);
        b = map.Append(b, 5);

        Assert.Equal(55, map.DistinctCells);
        Assert.Equal(10, KvCellMap.ExclusiveCellsFrom(a, 0));
        Assert.Equal(5, KvCellMap.ExclusiveCellsFrom(b, 0));
        Assert.Equal(3, KvCellMap.ExclusiveCellsFrom(a, 47));
    }

    [Fact]
    public void RandomOperations_DistinctCellsMatchUnionOfPositions()
    {
        // Model: each chain is a set of (cell identity) where a cell is identified by the run object and offset; compare the
        // map's count with a brute-force union of the cells every live chain holds.
        var random = new Random(5);
        var map = new KvCellMap();
        var chains = new List<KvCellRun?>();
        for (var step = 0; step < 2000; step++)
        {
            var op = random.Next(5);
            if (chains.Count == 0 || op == 0)
            {
                chains.Add(map.Append(null, random.Next(1, 50)));
            }
            else
            {
                var i = random.Next(chains.Count);
                var length = KvCellMap.Length(chains[i]);
                switch (op)
                {
                    case 1:
                        chains[i] = map.Append(chains[i], random.Next(1, 30));
                        break;
                    case 2:
                        chains[i] = map.Truncate(chains[i], random.Next(0, length + 1));
                        break;
                    case 3 when chains.Count < 16:
                        chains.Add(map.Append(KvCellMap.Share(chains[i], random.Next(0, length + 1)), random.Next(0, 20)));
                        break;
                    default:
                        map.Release(chains[i]);
                        chains.RemoveAt(i);
                        break;
                }
            }

            Assert.Equal(CountDistinct(chains), map.DistinctCells);
        }
    }

    private static int CountDistinct(List<KvCellRun?> chains)
    {
        var runs = new HashSet<KvCellRun>(ReferenceEqualityComparer.Instance);
        foreach (var tail in chains)
        {
            for (var run = tail; run is not null; run = run.Parent)
            {
                runs.Add(run);
            }
        }

        return runs.Sum(r => r.Length);
    }
}
