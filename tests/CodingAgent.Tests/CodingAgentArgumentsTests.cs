namespace CodingAgent.Tests;

public sealed class CodingAgentArgumentsTests
{
    [Fact]
    public void Parse_AllOptions_SetsThem()
    {
        var parsed = CodingAgentArguments.Parse(
            ["--workspace", "ws", "--model", "m.gguf", "--script", "s.txt", "--context", "8192", "--max-output-tokens", "64", "--seed", "-3", "--command-timeout", "5"]);

        Assert.Equal(new CodingAgentArguments("ws", "m.gguf", "s.txt", 8192, 64, -3, TimeSpan.FromSeconds(5), false), parsed);
    }

    [Theory]
    [InlineData("--context", "0", "--context needs a positive integer")]
    [InlineData("--seed", "x", "--seed needs an integer")]
    [InlineData("--colour", "red", "'--colour' is not an option")]
    public void Parse_BadValue_ThrowsNamingTheOption(string name, string value, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => CodingAgentArguments.Parse([name, value]));

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OptionWithoutValue_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => CodingAgentArguments.Parse(["--model"]));

        Assert.Contains("lacks its value", ex.Message, StringComparison.Ordinal);
    }
}
