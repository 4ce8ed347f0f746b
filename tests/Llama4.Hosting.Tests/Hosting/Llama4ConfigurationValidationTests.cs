using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Llama4.Hosting.Tests.Hosting;

/// <summary>Bad configuration stops the host at start, before any model loads, with the path of each bad setting.</summary>
[Collection(HostingTestGroup.Name)]
public sealed class Llama4ConfigurationValidationTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StartAsync_BadEngineValue_NamesTheConfigurationPath()
    {
        var messages = await StartFailureAsync(s => s["Llama4:ContextSize"] = "8");

        Assert.Contains("Llama4:ContextSize is 8; it must be at least 16 tokens", messages, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_BadResilienceAndHostingValues_NameTheirSubSections()
    {
        var messages = await StartFailureAsync(s =>
        {
            s["Llama4:Resilience:QueueLimit"] = "-1";
            s["Llama4:Hosting:ShutdownDrainTimeout"] = "-00:00:01";
            s["Llama4:ChatClient:ToolPlacement"] = "7";
        });

        Assert.Contains("Llama4:Resilience:QueueLimit is -1", messages, StringComparison.Ordinal);
        Assert.Contains("Llama4:Hosting:ShutdownDrainTimeout is -00:00:01", messages, StringComparison.Ordinal);
        Assert.Contains("Llama4:ChatClient:ToolPlacement is 7; use one of", messages, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_MisspelledKeys_SuggestTheKnownKey()
    {
        var messages = await StartFailureAsync(s =>
        {
            s["Llama4:ContextSzie"] = "4096";
            s["Llama4:Hosting:WarmUpp"] = "false";
            s["Llama4:DefaultSampling:Temprature"] = "0.5";
        });

        Assert.Contains("Llama4:ContextSzie is not a known setting of Llama4; did you mean Llama4:ContextSize?", messages, StringComparison.Ordinal);
        Assert.Contains("Llama4:Hosting:WarmUpp is not a known setting of Llama4:Hosting; did you mean Llama4:Hosting:WarmUp?", messages, StringComparison.Ordinal);
        Assert.Contains("did you mean Llama4:DefaultSampling:Temperature?", messages, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_UnknownKeyFarFromAnyKnownKey_ListsTheKnownKeys()
    {
        var messages = await StartFailureAsync(s => s["Llama4:Hosting:Replicas"] = "3");

        Assert.Contains("Llama4:Hosting:Replicas is not a known setting of Llama4:Hosting; the known settings are ShutdownDrainTimeout, WarmUp.", messages, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_MissingModelFile_NamesThePathAndTheFix()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.gguf");
        var messages = await StartFailureAsync(s => s["Llama4:ModelPath"] = path);

        Assert.Contains($"Llama4:ModelPath '{path}' cannot be used (FileNotFound)", messages, StringComparison.Ordinal);
        Assert.Contains("does not exist", messages, StringComparison.Ordinal);
        Assert.Contains("Set Llama4:ModelPath (environment variable Llama4__ModelPath) to the path of a Llama 4 .gguf file.", messages, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_MissingModelPath_SaysItIsRequired()
    {
        var messages = await StartFailureAsync(s => s.Remove("Llama4:ModelPath"));

        Assert.Contains("Llama4:ModelPath is required", messages, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_FileThatIsNotGguf_NamesTheProblem()
    {
        var path = Path.Combine(Path.GetTempPath(), $"not-a-model-{Guid.NewGuid():N}.gguf");
        await File.WriteAllTextAsync(path, "<html>a login page, not a model</html>", Token);
        try
        {
            var messages = await StartFailureAsync(s => s["Llama4:ModelPath"] = path);

            Assert.Contains($"Llama4:ModelPath '{path}' cannot be used (NotGguf)", messages, StringComparison.Ordinal);
            Assert.Contains("is not a GGUF file", messages, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task StartAsync_ValueOfTheWrongType_BinderNamesThePath()
    {
        var builder = TestHosts.CreateBuilder(Settings(s => s["Llama4:ContextSize"] = "big"));
        builder.AddLlama4();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync(Token));
        Assert.Contains("Llama4:ContextSize", error.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Settings(Action<Dictionary<string, string?>> change)
    {
        var settings = TestHosts.TinyModelSettings();
        change(settings);
        return settings;
    }

    private static async Task<string> StartFailureAsync(Action<Dictionary<string, string?>> change)
    {
        var builder = TestHosts.CreateBuilder(Settings(change));
        builder.AddLlama4();
        using var host = builder.Build();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync(Token));
        Assert.True(error is OptionsValidationException or AggregateException, $"unexpected {error.GetType()}: {error.Message}");
        return TestHosts.Messages(error);
    }
}
