using Llama4.Samples;

namespace Samples.Tests;

public sealed class SampleArgumentsTests
{
    [Fact]
    public void Parse_NoArguments_RunsOnTheDemoModelWithDefaults()
    {
        var arguments = SampleArguments.Parse([], "test");

        Assert.NotNull(arguments);
        Assert.True(arguments.IsDemo);
        Assert.Null(arguments.ModelPath);
        Assert.Null(arguments.ProjectorPath);
        Assert.Equal(SampleArguments.DefaultMaxOutputTokens, arguments.MaxOutputTokens);
        Assert.Equal(SampleArguments.DefaultContextSize, arguments.ContextSize);
    }

    [Fact]
    public void Parse_CommonOptions_ReadsEveryOne()
    {
        var arguments = SampleArguments.Parse(["--model", "m.gguf", "--projector", "p.gguf", "--max-tokens", "16", "--context", "4096"], "test");

        Assert.NotNull(arguments);
        Assert.False(arguments.IsDemo);
        Assert.Equal("m.gguf", arguments.ModelPath);
        Assert.Equal("p.gguf", arguments.ProjectorPath);
        Assert.Equal(16, arguments.MaxOutputTokens);
        Assert.Equal(4096, arguments.ContextSize);
    }

    [Fact]
    public void Parse_SampleOptionsAndFlags_AreReadable()
    {
        var arguments = SampleArguments.Parse(["--compare", "--runs", "5", "--image", "a.png"], "test", valueOptions: ["--runs", "--image"], flags: ["--compare"], defaultContextSize: 32768);

        Assert.NotNull(arguments);
        Assert.True(arguments.HasFlag("--compare"));
        Assert.Equal(5, arguments.GetNumber("--runs", 3));
        Assert.Equal(7, arguments.GetNumber("--tickets", 7));
        Assert.Equal("a.png", arguments.GetValue("--image"));
        Assert.Null(arguments.GetValue("--data"));
        Assert.Equal(32768, arguments.ContextSize);
    }

    [Theory]
    [InlineData("--unknown")]
    [InlineData("--model")]
    [InlineData("--max-tokens", "many")]
    [InlineData("--context", "0")]
    [InlineData("--image", "a.png")]
    public void Parse_BadArguments_ReturnsNull(params string[] args)
    {
        Assert.Null(SampleArguments.Parse(args, "test"));
    }

    [Fact]
    public void GetNumber_NotAPositiveNumber_ThrowsNamingTheOption()
    {
        var arguments = SampleArguments.Parse(["--runs", "-1"], "test", valueOptions: ["--runs"]);

        var error = Assert.Throws<ArgumentException>(() => arguments!.GetNumber("--runs", 3));
        Assert.Contains("--runs", error.Message, StringComparison.Ordinal);
    }
}
