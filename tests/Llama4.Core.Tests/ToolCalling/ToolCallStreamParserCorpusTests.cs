using Llama4.Core.ToolCalling;

namespace Llama4.Core.Tests.ToolCalling;

public sealed class ToolCallStreamParserCorpusTests
{
    public static TheoryData<string> CaseNames { get; } = new(ToolCallCorpus.Cases.Select(c => c.Name));

    [Fact]
    public void Corpus_HasEnoughCasesWithUniqueNames()
    {
        Assert.True(ToolCallCorpus.Cases.Count >= 40);
        Assert.Equal(ToolCallCorpus.Cases.Count, ToolCallCorpus.Cases.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Append_AnyChunking_ProducesTheExpectedTextCallsAndWarnings(string caseName)
    {
        var testCase = ToolCallCorpus.Cases.Single(c => c.Name == caseName);
        ParseOutcome? reference = null;
        foreach (var (label, pieces) in ToolCallHarness.Chunkings(testCase.Output))
        {
            var outcome = ToolCallHarness.Run(pieces);

            Assert.True(testCase.ExpectedText == outcome.Text, $"{label}: text differs.\nexpected: {testCase.ExpectedText}\nactual:   {outcome.Text}");
            Assert.True(testCase.Calls.Count == outcome.Calls.Count, $"{label}: {outcome.Calls.Count} calls instead of {testCase.Calls.Count}");
            for (var i = 0; i < testCase.Calls.Count; i++)
            {
                var expected = testCase.Calls[i];
                var actual = outcome.Calls[i];
                Assert.Equal(expected.Name, actual.Name);
                Assert.Equal(expected.Syntax, actual.Syntax);
                Assert.True(
                    ToolCallHarness.SameArguments(actual, expected.ArgumentsJson),
                    $"{label}: arguments of call {i} differ: {ToolCallHarness.ArgumentsJson(actual)}");
            }

            Assert.True(testCase.ExpectWarnings == outcome.Warnings.Count > 0, $"{label}: warnings: [{string.Join(" | ", outcome.Warnings)}]");

            if (reference is null)
            {
                reference = outcome;
            }
            else
            {
                ToolCallHarness.AssertSameOutcome(reference, outcome, label);
            }
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Append_OneCharacterAtATime_NeverReleasesTextThatIsNotInTheFinalText(string caseName)
    {
        // Text is append-only: if every prefix of the released text is a prefix of the expected text, no character
        // of a call was ever released as text.
        var testCase = ToolCallCorpus.Cases.Single(c => c.Name == caseName);
        var parser = new ToolCallStreamParser(ToolCallHarness.OfferedTools);
        var released = string.Empty;
        foreach (var c in testCase.Output)
        {
            released += parser.Append(c.ToString()).Text;
            Assert.StartsWith(released, testCase.ExpectedText, StringComparison.Ordinal);
        }

        released += parser.Complete().Text;
        Assert.Equal(testCase.ExpectedText, released);
    }
}
