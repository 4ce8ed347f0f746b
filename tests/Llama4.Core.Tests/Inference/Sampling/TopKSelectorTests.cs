using Llama4.Core.Inference.Sampling;

namespace Llama4.Core.Tests.Inference.Sampling;

public sealed class TopKSelectorTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(40)]
    [InlineData(256)]
    public void Select_RandomLogitsWithTies_EqualsAFullSort(int k)
    {
        var random = new Random(k);
        var logits = Enumerable.Range(0, 10_007).Select(_ => (float)Math.Round(random.NextDouble() * 50) / 10f).ToArray();
        var top = new TokenCandidate[k];

        TopKSelector.Select(logits, top);

        var expected = logits.Select((logit, id) => new TokenCandidate(logit, id)).Order().Take(k);
        Assert.Equal(expected, top);
    }
}
