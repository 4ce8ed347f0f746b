using System.Globalization;
using System.Text;
using Llama4.Core;

namespace Llama4.Core.Tests.Memory;

/// <summary>
/// The memory tables of docs/context-management.md are produced by <see cref="Llama4MemoryEstimator"/>: this test
/// recomputes every table and compares it with the document, so the document cannot drift from the code. Run it with
/// <c>LLAMA4_UPDATE_DOCS=1</c> to rewrite the tables in place after a deliberate change.
/// </summary>
public sealed class ContextManagementDocTests
{
    private const string UpdateVariable = "LLAMA4_UPDATE_DOCS";
    private const string DocumentPath = "docs/context-management.md";

    /// <summary>llama.cpp's quantize documentation: Q4_K_M averages 4.80-4.84 bits per weight on Llama models; the higher is used.</summary>
    private const double Q4KMBitsPerWeight = 4.84;

    /// <summary>Q8_0 stores 32 weights in 34 bytes.</summary>
    private const double Q80BitsPerWeight = 8.5;

    private static readonly (string Label, int Tokens)[] Contexts = [("8k", 8192), ("32k", 32768), ("128k", 131072), ("1M", 1048576)];

    [Fact]
    public void MemoryTables_InDocument_MatchTheEstimator()
    {
        string path = Path.Combine(FindRepositoryRoot(), DocumentPath);
        string document = File.ReadAllText(path).ReplaceLineEndings("\n");
        var tables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["weights"] = WeightsTable(),
            ["kv-cache"] = KvCacheTable(),
            ["compute"] = ComputeTable(),
            ["totals"] = TotalsTable(),
        };

        string updated = document;
        foreach ((string name, string table) in tables)
        {
            updated = ReplaceBlock(updated, name, table);
        }

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(path, updated);
            return;
        }

        foreach ((string name, string table) in tables)
        {
            Assert.True(
                string.Equals(ReadBlock(document, name), table, StringComparison.Ordinal),
                $"The '{name}' table of {DocumentPath} is out of date; run this test with {UpdateVariable}=1 to rewrite it. Expected:\n{table}");
        }
    }

    [Fact]
    public void KvCache_ScoutAndMaverick_AreTheSame()
    {
        // The document gives one KV table for both models: their attention layers are identical.
        foreach ((_, int tokens) in Contexts)
        {
            var options = Options(tokens, 8, Llama4KvCacheType.F16, fullSizeSwa: false);
            Assert.Equal(
                Llama4MemoryEstimator.Estimate(ReferenceModel.Scout.ToModelInfo(0), options).KvCacheBytes,
                Llama4MemoryEstimator.Estimate(ReferenceModel.Maverick.ToModelInfo(0), options).KvCacheBytes);
        }
    }

    [Fact]
    public void Parameters_ReferenceModels_MatchPublishedTotals()
    {
        // Meta: Scout 109B and Maverick 400B parameters in total, the vision encoder (under 1B) included.
        Assert.InRange(ReferenceModel.Scout.Parameters, 107_000_000_000L, 109_000_000_000L);
        Assert.InRange(ReferenceModel.Maverick.Parameters, 399_000_000_000L, 401_000_000_000L);
    }

    private static string WeightsTable()
    {
        var text = new StringBuilder();
        text.Append("| Model | Parameters (text) | Q4_K_M (4.84 bits/weight) | Q8_0 (8.5 bits/weight) |\n");
        text.Append("|---|---|---|---|\n");
        foreach (var model in new[] { ReferenceModel.Scout, ReferenceModel.Maverick })
        {
            text.Append(Invariant($"| {model.Name} | {model.Parameters / 1e9:F1} B | {Size(model.WeightsBytes(Q4KMBitsPerWeight))} | {Size(model.WeightsBytes(Q80BitsPerWeight))} |\n"));
        }

        return text.ToString();
    }

    private static string KvCacheTable()
    {
        var model = ReferenceModel.Scout.ToModelInfo(0);
        var text = new StringBuilder();
        text.Append("| Context | Sequences | F16 | F16, full-size SWA | Q8_0 | Q8_0, full-size SWA | Q4_0 | Q4_0, full-size SWA |\n");
        text.Append("|---|---|---|---|---|---|---|---|\n");
        foreach ((string label, int tokens) in Contexts)
        {
            foreach ((string sequencesLabel, int sequences, bool unified) in new[] { ("1", 1, true), ("8", 8, true), ("8, one stream each", 8, false) })
            {
                text.Append(Invariant($"| {label} | {sequencesLabel} |"));
                foreach (var type in new[] { Llama4KvCacheType.F16, Llama4KvCacheType.Q8_0, Llama4KvCacheType.Q4_0 })
                {
                    foreach (bool full in new[] { false, true })
                    {
                        var options = Options(tokens, sequences, type, full);
                        options.UnifiedKvCache = unified;
                        text.Append(' ').Append(Size(Llama4MemoryEstimator.Estimate(model, options).KvCacheBytes)).Append(" |");
                    }
                }

                text.Append('\n');
            }
        }

        return text.ToString();
    }

    private static string ComputeTable()
    {
        var text = new StringBuilder();
        text.Append("| Context | Scout, flash attention on | Scout, flash attention off | Maverick, flash attention on | Maverick, flash attention off |\n");
        text.Append("|---|---|---|---|---|\n");
        foreach ((string label, int tokens) in Contexts)
        {
            text.Append(Invariant($"| {label} |"));
            foreach (var model in new[] { ReferenceModel.Scout, ReferenceModel.Maverick })
            {
                foreach (bool flashAttention in new[] { true, false })
                {
                    var options = Options(tokens, 1, Llama4KvCacheType.F16, fullSizeSwa: false);
                    options.FlashAttention = flashAttention ? Llama4FlashAttentionMode.Enabled : Llama4FlashAttentionMode.Disabled;
                    text.Append(' ').Append(Size(Llama4MemoryEstimator.Estimate(model.ToModelInfo(0), options).ComputeBufferBytes)).Append(" |");
                }
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private static string TotalsTable()
    {
        var text = new StringBuilder();
        text.Append("| Context | Scout Q4_K_M, 1 sequence | Scout Q4_K_M, 8 sequences | Maverick Q4_K_M, 1 sequence | Maverick Q4_K_M, 8 sequences |\n");
        text.Append("|---|---|---|---|---|\n");
        foreach ((string label, int tokens) in Contexts)
        {
            text.Append(Invariant($"| {label} |"));
            foreach (var model in new[] { ReferenceModel.Scout, ReferenceModel.Maverick })
            {
                foreach (int sequences in new[] { 1, 8 })
                {
                    var info = model.ToModelInfo(model.WeightsBytes(Q4KMBitsPerWeight));
                    text.Append(' ').Append(Size(Llama4MemoryEstimator.Estimate(info, Options(tokens, sequences, Llama4KvCacheType.F16, fullSizeSwa: false)).TotalBytes)).Append(" |");
                }
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private static Llama4EngineOptions Options(int contextSize, int sequences, Llama4KvCacheType type, bool fullSizeSwa) => new()
    {
        ContextSize = contextSize,
        MaxParallelSequences = sequences,
        KeyCacheType = type,
        ValueCacheType = type,
        FullSizeSwaCache = fullSizeSwa,
        FlashAttention = Llama4FlashAttentionMode.Enabled,
    };

    private static string Size(long bytes)
    {
        double gib = bytes / (1024.0 * 1024 * 1024);
        return gib switch
        {
            < 1 => Invariant($"{bytes / (1024.0 * 1024):F0} MiB"),
            < 100 => Invariant($"{gib:F2} GiB"),
            _ => Invariant($"{gib:F1} GiB"),
        };
    }

    private static string Begin(string name) => $"<!-- generated: {name} (ContextManagementDocTests) -->\n";

    private static string End(string name) => $"<!-- end generated: {name} -->";

    private static string ReadBlock(string document, string name)
    {
        int start = document.IndexOf(Begin(name), StringComparison.Ordinal);
        int end = document.IndexOf(End(name), StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"{DocumentPath} lacks the markers of the '{name}' table: '{Begin(name).TrimEnd()}' ... '{End(name)}'.");
        return document[(start + Begin(name).Length)..end];
    }

    private static string ReplaceBlock(string document, string name, string table)
    {
        string current = ReadBlock(document, name);
        int start = document.IndexOf(Begin(name), StringComparison.Ordinal) + Begin(name).Length;
        return string.Concat(document.AsSpan(0, start), table, document.AsSpan(start + current.Length));
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Llama4.SemanticKernel.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with Llama4.SemanticKernel.sln) was not found above " + AppContext.BaseDirectory);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
