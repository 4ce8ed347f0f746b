using Llama4.Core.Inference;

namespace Llama4.Core.Tests.Inference;

public sealed class StopSequenceMatcherTests
{
    [Fact]
    public void Append_NoStopSequences_ReleasesEverything()
    {
        var matcher = new StopSequenceMatcher([]);

        Assert.Equal("abc", matcher.Append("abc"));
        Assert.False(matcher.Stopped);
    }

    [Fact]
    public void Append_StopSplitAcrossPieces_HoldsBackThenStopsWithoutEmittingIt()
    {
        var matcher = new StopSequenceMatcher(["END"]);

        Assert.Equal("hello ", matcher.Append("hello E"));
        Assert.Equal(string.Empty, matcher.Append("N"));
        Assert.Equal(string.Empty, matcher.Append("D and more"));
        Assert.True(matcher.Stopped);
        Assert.Equal(string.Empty, matcher.Flush());
    }

    [Fact]
    public void Append_FalseStart_ReleasesHeldText()
    {
        var matcher = new StopSequenceMatcher(["END"]);

        Assert.Equal("a", matcher.Append("aE"));
        Assert.Equal("Ex", matcher.Append("x"));
        Assert.False(matcher.Stopped);
    }

    [Fact]
    public void Append_SeveralStops_StopsAtEarliest()
    {
        var matcher = new StopSequenceMatcher(["zz", "b"]);

        Assert.Equal("a", matcher.Append("abzz"));
        Assert.True(matcher.Stopped);
    }

    [Fact]
    public void Flush_EndsWithoutStop_ReturnsHeldPrefix()
    {
        var matcher = new StopSequenceMatcher(["STOP"]);

        Assert.Equal("x", matcher.Append("xST"));
        Assert.Equal("ST", matcher.Flush());
    }
}
