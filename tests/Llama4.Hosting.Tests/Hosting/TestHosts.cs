using Llama4.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Llama4.Hosting.Tests.Hosting;

/// <summary>Generic hosts over in-memory configuration, with the tiny model and the CPU backend.</summary>
internal static class TestHosts
{
    /// <summary>Settings that load the tiny model with two sequences, a small context and two threads.</summary>
    public static Dictionary<string, string?> TinyModelSettings(string? modelPath = null) => new()
    {
        ["Llama4:ModelPath"] = modelPath ?? TinyModelFiles.Default,
        ["Llama4:Backend"] = "Cpu",
        ["Llama4:Threads"] = "2",
        ["Llama4:ContextSize"] = "8192",
        ["Llama4:MaxParallelSequences"] = "2",
    };

    /// <summary>A builder without the default providers (no appsettings.json, no environment variables, no console log).</summary>
    public static HostApplicationBuilder CreateBuilder(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(settings);
        return builder;
    }

    /// <summary>Every message of a start-up failure (the host aggregates the failures of several options).</summary>
    public static string Messages(Exception exception) => exception switch
    {
        AggregateException aggregate => string.Join(Environment.NewLine, aggregate.InnerExceptions.Select(Messages)),
        _ => exception.Message,
    };
}
