namespace CustomerService.Tests;

public sealed class CustomerServiceArgumentsTests
{
    [Fact]
    public void Parse_AllOptions_SetsThem()
    {
        var arguments = CustomerServiceArguments.Parse(["--model", "m.gguf", "--data", "d", "--script", "s", "--new", "--max-tokens", "64", "--context", "4096", "--verbose"]);

        Assert.Equal(new CustomerServiceArguments("m.gguf", "d", "s", Resume: false, 64, 4096, Verbose: true), arguments);
    }

    [Fact]
    public void Parse_Nothing_ResumesWithDefaults()
    {
        var arguments = CustomerServiceArguments.Parse([]);

        Assert.True(arguments.Resume);
        Assert.Null(arguments.ModelPath);
        Assert.Null(arguments.MaxOutputTokens);
        Assert.Equal(8192, arguments.ContextSize);
        Assert.Equal(CustomerServiceArguments.DefaultDataDirectory, arguments.DataDirectory);
        Assert.EndsWith("Llama4.CustomerService", arguments.DataDirectory, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--bogus", "Unknown argument '--bogus'")]
    [InlineData("--model", "--model needs a value")]
    [InlineData("--max-tokens", "--max-tokens needs a value")]
    public void Parse_BadArgument_ThrowsWithUsage(string argument, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => CustomerServiceArguments.Parse([argument]));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("Usage:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NonPositiveNumber_ThrowsNamingTheOption()
    {
        var error = Assert.Throws<ArgumentException>(() => CustomerServiceArguments.Parse(["--context", "0"]));

        Assert.Contains("--context needs a positive whole number, not '0'", error.Message, StringComparison.Ordinal);
    }
}
