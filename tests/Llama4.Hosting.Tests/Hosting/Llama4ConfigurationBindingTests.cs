using Llama4.Core;
using Llama4.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Llama4.Hosting.Tests.Hosting;

[Collection(HostingTestGroup.Name)]
public sealed class Llama4ConfigurationBindingTests
{
    [Fact]
    public void AddLlama4_EverySection_BindsItsOptions()
    {
        var settings = TestHosts.TinyModelSettings();
        settings["Llama4:ModelId"] = "tiny";
        settings["Llama4:UnifiedKvCache"] = "false";
        settings["Llama4:DefaultSampling:Temperature"] = "0.25";
        settings["Llama4:ChatClient:ToolCallStyle"] = "Pythonic";
        settings["Llama4:ChatClient:ContextOverflow"] = "TruncateHistory";
        settings["Llama4:Resilience:QueueLimit"] = "3";
        settings["Llama4:Resilience:TotalTimeout"] = "00:02:00";
        settings["Llama4:Hosting:WarmUp"] = "false";
        settings["Llama4:Hosting:ShutdownDrainTimeout"] = "00:00:03";
        var builder = TestHosts.CreateBuilder(settings);
        builder.AddLlama4();
        using var host = builder.Build();

        var engine = host.Services.GetRequiredService<IOptions<Llama4EngineOptions>>().Value;
        Assert.Equal("tiny", engine.ModelId);
        Assert.Equal(8192, engine.ContextSize);
        Assert.Equal(2, engine.MaxParallelSequences);
        Assert.Equal(Llama4Backend.Cpu, engine.Backend);
        Assert.False(engine.UnifiedKvCache);
        Assert.Equal(0.25f, engine.DefaultSampling?.Temperature);
        var chat = host.Services.GetRequiredService<IOptions<Llama4ChatClientOptions>>().Value;
        Assert.Equal(Llama4ToolCallStyle.Pythonic, chat.ToolCallStyle);
        Assert.Equal(Llama4ContextOverflowPolicy.TruncateHistory, chat.ContextOverflow);
        var resilience = host.Services.GetRequiredService<IOptions<Llama4ResilienceOptions>>().Value;
        Assert.Equal(3, resilience.QueueLimit);
        Assert.Equal(TimeSpan.FromMinutes(2), resilience.TotalTimeout);
        var hosting = host.Services.GetRequiredService<IOptions<Llama4HostingOptions>>().Value;
        Assert.False(hosting.WarmUp);
        Assert.Equal(TimeSpan.FromSeconds(3), hosting.ShutdownDrainTimeout);
    }

    [Fact]
    public void AddLlama4_NothingButTheModel_KeepsDefaultsAndSizesAdmissionToTheSequences()
    {
        var builder = TestHosts.CreateBuilder(TestHosts.TinyModelSettings());
        builder.AddLlama4();
        using var host = builder.Build();

        var hosting = host.Services.GetRequiredService<IOptions<Llama4HostingOptions>>().Value;
        Assert.True(hosting.WarmUp);
        Assert.Equal(Llama4HostingOptions.DefaultShutdownDrainTimeout, hosting.ShutdownDrainTimeout);
        var resilience = host.Services.GetRequiredService<IOptions<Llama4ResilienceOptions>>().Value;
        Assert.Equal(2, resilience.MaxConcurrentRequests);
        Assert.Null(resilience.QueueLimit);
        Assert.Equal(Llama4ResilienceOptions.DefaultTotalTimeout, resilience.TotalTimeout);
        Assert.Equal(Llama4ModelState.NotStarted, host.Services.GetRequiredService<Llama4ModelStatus>().State);
    }

    [Fact]
    public void AddLlama4_EnvironmentVariables_BindThroughTheHostConfiguration()
    {
        // A prefix of this test's own keeps the process-wide variables from reaching other tests.
        var prefix = $"L4HOSTTEST{Guid.NewGuid():N}_";
        Environment.SetEnvironmentVariable(prefix + "Llama4__ContextSize", "2048");
        Environment.SetEnvironmentVariable(prefix + "Llama4__Resilience__MaxRetryAttempts", "0");
        Environment.SetEnvironmentVariable(prefix + "Llama4__Hosting__WarmUp", "false");
        try
        {
            var builder = TestHosts.CreateBuilder(TestHosts.TinyModelSettings());
            builder.Configuration.AddEnvironmentVariables(prefix);
            builder.AddLlama4();
            using var host = builder.Build();

            Assert.Equal(2048, host.Services.GetRequiredService<IOptions<Llama4EngineOptions>>().Value.ContextSize);
            Assert.Equal(0, host.Services.GetRequiredService<IOptions<Llama4ResilienceOptions>>().Value.MaxRetryAttempts);
            Assert.False(host.Services.GetRequiredService<IOptions<Llama4HostingOptions>>().Value.WarmUp);
        }
        finally
        {
            Environment.SetEnvironmentVariable(prefix + "Llama4__ContextSize", null);
            Environment.SetEnvironmentVariable(prefix + "Llama4__Resilience__MaxRetryAttempts", null);
            Environment.SetEnvironmentVariable(prefix + "Llama4__Hosting__WarmUp", null);
        }
    }

    [Fact]
    public void AddLlama4_OtherSectionNameAndCodeConfiguration_CodeWinsOverConfiguration()
    {
        var settings = TestHosts.TinyModelSettings().ToDictionary(p => p.Key.Replace("Llama4:", "Models:Chat:", StringComparison.Ordinal), p => p.Value);
        var builder = TestHosts.CreateBuilder(settings);
        builder.AddLlama4("Models:Chat", engine => engine.MaxParallelSequences = 3);
        using var host = builder.Build();

        var engine = host.Services.GetRequiredService<IOptions<Llama4EngineOptions>>().Value;
        Assert.Equal(8192, engine.ContextSize);
        Assert.Equal(3, engine.MaxParallelSequences);
    }

    [Fact]
    public void AddLlama4_CalledTwice_Refuses()
    {
        var builder = TestHosts.CreateBuilder(TestHosts.TinyModelSettings());
        builder.AddLlama4();

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddLlama4());
        Assert.Contains("already called", error.Message, StringComparison.Ordinal);
    }
}
