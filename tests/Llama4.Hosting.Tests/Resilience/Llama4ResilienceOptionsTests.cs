using Llama4.Hosting;

namespace Llama4.Hosting.Tests.Resilience;

public sealed class Llama4ResilienceOptionsTests
{
    [Fact]
    public void Validate_Defaults_HasNoProblems() => Assert.Empty(new Llama4ResilienceOptions().Validate());

    [Theory]
    [InlineData(nameof(Llama4ResilienceOptions.MaxConcurrentRequests))]
    [InlineData(nameof(Llama4ResilienceOptions.QueueLimit))]
    [InlineData(nameof(Llama4ResilienceOptions.TimeToFirstTokenTimeout))]
    [InlineData(nameof(Llama4ResilienceOptions.InterTokenTimeout))]
    [InlineData(nameof(Llama4ResilienceOptions.TotalTimeout))]
    [InlineData(nameof(Llama4ResilienceOptions.MaxRetryAttempts))]
    [InlineData(nameof(Llama4ResilienceOptions.RetryDelay))]
    [InlineData(nameof(Llama4ResilienceOptions.CircuitBreakerFailureRatio))]
    [InlineData(nameof(Llama4ResilienceOptions.CircuitBreakerMinimumThroughput))]
    [InlineData(nameof(Llama4ResilienceOptions.CircuitBreakerSamplingDuration))]
    [InlineData(nameof(Llama4ResilienceOptions.CircuitBreakerBreakDuration))]
    public void Validate_BadSetting_NamesIt(string setting)
    {
        var options = new Llama4ResilienceOptions();
        switch (setting)
        {
            case nameof(Llama4ResilienceOptions.MaxConcurrentRequests): options.MaxConcurrentRequests = 0; break;
            case nameof(Llama4ResilienceOptions.QueueLimit): options.QueueLimit = -1; break;
            case nameof(Llama4ResilienceOptions.TimeToFirstTokenTimeout): options.TimeToFirstTokenTimeout = TimeSpan.Zero; break;
            case nameof(Llama4ResilienceOptions.InterTokenTimeout): options.InterTokenTimeout = TimeSpan.FromSeconds(-1); break;
            case nameof(Llama4ResilienceOptions.TotalTimeout): options.TotalTimeout = TimeSpan.FromDays(2); break;
            case nameof(Llama4ResilienceOptions.MaxRetryAttempts): options.MaxRetryAttempts = -1; break;
            case nameof(Llama4ResilienceOptions.RetryDelay): options.RetryDelay = TimeSpan.FromSeconds(-1); break;
            case nameof(Llama4ResilienceOptions.CircuitBreakerFailureRatio): options.CircuitBreakerFailureRatio = 0; break;
            case nameof(Llama4ResilienceOptions.CircuitBreakerMinimumThroughput): options.CircuitBreakerMinimumThroughput = 1; break;
            case nameof(Llama4ResilienceOptions.CircuitBreakerSamplingDuration): options.CircuitBreakerSamplingDuration = TimeSpan.FromMilliseconds(10); break;
            case nameof(Llama4ResilienceOptions.CircuitBreakerBreakDuration): options.CircuitBreakerBreakDuration = TimeSpan.Zero; break;
        }

        var problem = Assert.Single(options.Validate());
        Assert.StartsWith(setting + " is ", problem, StringComparison.Ordinal);
    }
}
