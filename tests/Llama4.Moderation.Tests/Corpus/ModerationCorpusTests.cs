using System.Globalization;
using System.Text;

namespace Llama4.Moderation.Tests.Corpus;

/// <summary>
/// Measures the offline moderators on the labelled corpus and asserts the quality targets: PII recall at least 0.99 and
/// precision at least 0.98 (entity level, all kinds together); prompt-injection recall at least 0.9 with at most 5%
/// false positives on the benign set. The tables it writes (whole corpus, and the held-out part written after tuning)
/// are the ones in docs/moderation.md.
/// </summary>
public sealed class ModerationCorpusTests
{
    private static readonly IReadOnlyList<CorpusCase> Cases = CorpusCase.Load();

    [Fact]
    public void Corpus_HasEnoughLabelledCasesOfEveryKind()
    {
        Assert.True(Cases.Count >= 200, $"{Cases.Count} cases");
        Assert.Equal(Cases.Count, Cases.Select(c => c.Id).Distinct().Count());
        foreach (var kind in Enum.GetValues<PiiKind>())
        {
            Assert.True(Cases.Count(c => c.Pii.Contains(kind)) >= 5, $"too few {kind} cases");
            Assert.True(Cases.Count(c => c.IsNearMiss && c.Id.StartsWith(Prefix(kind), StringComparison.Ordinal)) >= 4, $"too few {kind} near misses");
        }

        Assert.True(Cases.Count(c => c.Injection && c.Source == ModerationSource.User) >= 30);
        Assert.True(Cases.Count(c => c.Injection && c.Source is ModerationSource.ToolResult or ModerationSource.Document) >= 30);
        Assert.True(Cases.Count(c => c.IsBenign) >= 50);
    }

    [Fact]
    public void PiiModerator_OnCorpus_MeetsRecallAndPrecisionTargets()
    {
        var all = MeasurePii(Cases, out var misses);
        var heldOut = MeasurePii([.. Cases.Where(c => c.IsHeldOut)], out var heldOutMisses);
        Report("PII, whole corpus", all.Table, misses);
        Report("PII, final held-out set (ho4)", heldOut.Table, heldOutMisses);

        Assert.True(all.Total.Recall >= 0.99 && all.Total.Precision >= 0.98, $"PII recall {all.Total.Recall:F3}, precision {all.Total.Precision:F3}:\n{string.Join("\n", misses)}");
    }

    [Fact]
    public async Task PromptInjectionModerator_OnCorpus_MeetsRecallAndFalsePositiveTargets()
    {
        var all = await MeasureInjectionAsync(Cases);
        var heldOut = await MeasureInjectionAsync([.. Cases.Where(c => c.IsHeldOut)]);
        Report("Prompt injection, whole corpus", all.Table, all.Wrong);
        Report("Prompt injection, final held-out set (ho4)", heldOut.Table, heldOut.Wrong);

        Assert.True(all.Recall >= 0.9 && all.FalsePositiveRate <= 0.05, $"recall {all.Recall:F3}, false positives {all.FalsePositiveRate:F3}:\n{string.Join("\n", all.Wrong)}");
    }

    [Fact]
    public void PiiModerator_OnNearMisses_FlagsNothing()
    {
        var moderator = new PiiModerator();

        var flagged = Cases.Where(c => c.IsNearMiss).Where(c => moderator.Find(c.Text).Count > 0).Select(c => c.Id).ToList();

        Assert.Empty(flagged);
    }

    private static (string Table, Counts Total) MeasurePii(IReadOnlyList<CorpusCase> cases, out List<string> misses)
    {
        var moderator = new PiiModerator();
        var counts = Enum.GetValues<PiiKind>().ToDictionary(k => k, _ => new Counts());
        misses = [];
        foreach (var item in cases)
        {
            var found = moderator.Find(item.Text).Select(m => m.Kind).ToList();
            foreach (var kind in Enum.GetValues<PiiKind>())
            {
                var expected = item.Pii.Count(k => k == kind);
                var detected = found.Count(k => k == kind);
                var tp = Math.Min(expected, detected);
                counts[kind].Add(tp, detected - tp, expected - tp);
                if (expected != detected)
                {
                    misses.Add($"{item.Id}: {kind} expected {expected}, found {detected}");
                }
            }
        }

        var total = new Counts();
        var table = new StringBuilder("| PII kind | cases with it | entities | found | false positives | missed | precision | recall |\n|---|---|---|---|---|---|---|---|\n");
        foreach (var (kind, c) in counts)
        {
            total.Add(c.TruePositives, c.FalsePositives, c.FalseNegatives);
            table.Append(CultureInfo.InvariantCulture, $"| {kind} | {cases.Count(x => x.Pii.Contains(kind))} | {c.TruePositives + c.FalseNegatives} | {c.TruePositives} | {c.FalsePositives} | {c.FalseNegatives} | {c.Precision:F3} | {c.Recall:F3} |\n");
        }

        table.Append(CultureInfo.InvariantCulture, $"| **all** ({cases.Count} cases, {cases.Count(x => x.IsNearMiss)} near misses) | {cases.Count(x => x.Pii.Count > 0)} | {total.TruePositives + total.FalseNegatives} | {total.TruePositives} | {total.FalsePositives} | {total.FalseNegatives} | {total.Precision:F3} | {total.Recall:F3} |\n");
        return (table.ToString(), total);
    }

    private static async Task<(string Table, double Recall, double FalsePositiveRate, List<string> Wrong)> MeasureInjectionAsync(IReadOnlyList<CorpusCase> cases)
    {
        var moderator = new PromptInjectionModerator();
        var rows = new List<(string Set, int Cases, int Flagged)>();
        var wrong = new List<string>();
        foreach (var (set, filter) in new (string, Func<CorpusCase, bool>)[]
        {
            ("direct injection (user)", c => c.Injection && c.Source == ModerationSource.User),
            ("indirect injection (tool results, documents)", c => c.Injection && c.Source != ModerationSource.User),
            ("benign user messages", c => c.IsBenign && c.Source == ModerationSource.User),
            ("benign tool results and documents", c => c.IsBenign && c.Source != ModerationSource.User),
            ("PII cases and near misses (no injection)", c => !c.IsBenign && !c.Injection && c.Source is not (ModerationSource.Assistant or ModerationSource.ToolArguments)),
        })
        {
            var subset = cases.Where(filter).ToList();
            var flagged = 0;
            foreach (var item in subset)
            {
                var verdict = await moderator.ModerateAsync(new ModerationRequest(item.Text, item.Source), TestContext.Current.CancellationToken);
                var blocked = verdict.Action == ModerationAction.Block;
                flagged += blocked ? 1 : 0;
                if (blocked != item.Injection)
                {
                    var finding = verdict.Findings.Count > 0 ? verdict.Findings[0] : null;
                    wrong.Add($"{item.Id} ({(item.Injection ? "missed" : "false positive")}): {finding?.Label} {finding?.Score}");
                }
            }

            rows.Add((set, subset.Count, flagged));
        }

        var table = new StringBuilder("| Set | cases | blocked | rate |\n|---|---|---|---|\n");
        foreach (var (set, count, flagged) in rows)
        {
            table.Append(CultureInfo.InvariantCulture, $"| {set} | {count} | {flagged} | {(count == 0 ? 0 : (double)flagged / count):F3} |\n");
        }

        var positives = rows[0].Cases + rows[1].Cases;
        var recall = (double)(rows[0].Flagged + rows[1].Flagged) / positives;
        var benign = rows[2].Cases + rows[3].Cases;
        var falsePositiveRate = (double)(rows[2].Flagged + rows[3].Flagged) / benign;
        table.Append(CultureInfo.InvariantCulture, $"| **recall, all injections** | {positives} | {rows[0].Flagged + rows[1].Flagged} | {recall:F3} |\n");
        table.Append(CultureInfo.InvariantCulture, $"| **false-positive rate, benign set** | {benign} | {rows[2].Flagged + rows[3].Flagged} | {falsePositiveRate:F3} |\n");
        return (table.ToString(), recall, falsePositiveRate, wrong);
    }

    private static void Report(string title, string table, List<string> wrong)
    {
        var text = $"### {title}\n\n{table}\nMisclassified: {(wrong.Count == 0 ? "none" : string.Join("; ", wrong))}\n";
        TestContext.Current.SendDiagnosticMessage(text);
        Console.WriteLine(text);
    }

    private static string Prefix(PiiKind kind) => kind switch
    {
        PiiKind.EmailAddress => "email-",
        PiiKind.PhoneNumber => "phone-",
        PiiKind.PaymentCard => "card-",
        PiiKind.Iban => "iban-",
        PiiKind.UsSocialSecurityNumber => "ssn-",
        PiiKind.IPAddress => "ip-",
        PiiKind.StreetAddress => "address-",
        _ => "secret-",
    };

    private sealed class Counts
    {
        public int TruePositives { get; private set; }

        public int FalsePositives { get; private set; }

        public int FalseNegatives { get; private set; }

        public double Precision => TruePositives + FalsePositives == 0 ? 1 : (double)TruePositives / (TruePositives + FalsePositives);

        public double Recall => TruePositives + FalseNegatives == 0 ? 1 : (double)TruePositives / (TruePositives + FalseNegatives);

        public void Add(int truePositives, int falsePositives, int falseNegatives)
        {
            TruePositives += truePositives;
            FalsePositives += falsePositives;
            FalseNegatives += falseNegatives;
        }
    }
}
