namespace Llama4.Core.Tests;

public sealed class Llama4EngineOptionsTests
{
    [Fact]
    public void Validate_DefaultSamplingNaN_ReportsTheValue()
    {
        var options = new Llama4EngineOptions { ModelPath = "model.gguf", DefaultSampling = new Llama4SamplingOptions { Temperature = float.NaN } };

        var error = Assert.Single(options.Validate());

        Assert.StartsWith("DefaultSampling: Temperature is NaN", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DefaultSamplingInRange_NoError()
    {
        var options = new Llama4EngineOptions { ModelPath = "model.gguf", DefaultSampling = new Llama4SamplingOptions { Temperature = 0.2f, TopP = 1, PresencePenalty = -2 } };

        Assert.Empty(options.Validate());
    }
}
