using Llama4.Core.Inference.Sampling;

namespace Llama4.Core.Tests.Inference.Sampling;

public sealed class PenaltyWindowTests
{
    [Fact]
    public void Accept_MoreThanTheWindow_KeepsOnlyTheLastTokensCounted()
    {
        var window = new PenaltyWindow(3);

        foreach (var token in new[] { 1, 2, 2, 3, 2, 4 })
        {
            window.Accept(token);
        }

        Assert.Equal(3, window.Count);
        Assert.Equal(new Dictionary<int, int> { [3] = 1, [2] = 1, [4] = 1 }, window.Counts);
    }

    [Fact]
    public void Accept_LargeWindow_GrowsAndStaysInOrder()
    {
        var window = new PenaltyWindow(1000);

        for (var i = 0; i < 1500; i++)
        {
            window.Accept(i % 700);
        }

        Assert.Equal(1000, window.Count);
        Assert.Equal(700, window.Counts.Count);
        Assert.Equal(2, window.Counts[500 % 700]);
        Assert.Equal(1, window.Counts[100]);
    }

    [Fact]
    public void Apply_TokensInTheWindow_ArePenalisedAsLlamaCppDoes()
    {
        var window = new PenaltyWindow(8);
        window.Accept(0);
        window.Accept(1);
        window.Accept(1);
        float[] logits = [2f, -2f, 3f];

        window.Apply(logits, repeat: 2f, frequency: 0.5f, presence: 0.25f);

        // Positive logits are divided by the repetition penalty, negative ones multiplied; then count * frequency + presence.
        Assert.Equal((2f / 2f) - 0.5f - 0.25f, logits[0]);
        Assert.Equal((-2f * 2f) - 1f - 0.25f, logits[1]);
        Assert.Equal(3f, logits[2]);
    }

    [Fact]
    public void Accept_ZeroWindow_KeepsNothing()
    {
        var window = new PenaltyWindow(0);

        window.Accept(5);

        Assert.Equal(0, window.Count);
        Assert.Empty(window.Counts);
    }
}
