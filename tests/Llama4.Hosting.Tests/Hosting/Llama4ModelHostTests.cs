using Llama4.Core;
using Llama4.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Llama4.Hosting.Tests.Hosting;

/// <summary>The model's life on the generic host: load, serve, saturate, fail, stop; each test hosts its own tiny model.</summary>
[Collection(HostingTestGroup.Name)]
public sealed class Llama4ModelHostTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StartAsync_TinyModel_LoadsInTheBackgroundThenServesChatAndEmbeddings()
    {
        var builder = TestHosts.CreateBuilder(TestHosts.TinyModelSettings());
        builder.AddLlama4().UseFunctionInvocation().UseLlama4Resilience();
        using var host = builder.Build();
        var status = host.Services.GetRequiredService<Llama4ModelStatus>();

        var beforeStart = await CheckAsync(host);
        Assert.Equal(HealthStatus.Unhealthy, beforeStart.Status);
        Assert.Contains("has not started", beforeStart.Description, StringComparison.Ordinal);

        await host.StartAsync(Token);
        // StartAsync returns as soon as the load is under way, before the model has loaded.
        Assert.Equal(Llama4ModelState.Loading, status.State);
        var loading = await CheckAsync(host);
        Assert.Equal(HealthStatus.Unhealthy, loading.Status);
        Assert.Contains("is loading", loading.Description, StringComparison.Ordinal);

        await status.WaitUntilReadyAsync(Token);
        var ready = await CheckAsync(host);
        Assert.Equal(HealthStatus.Healthy, ready.Status);
        Assert.Equal(0, ready.Data["liveSequences"]);
        Assert.Equal(0, ready.Data["queuedRequests"]);
        Assert.Equal(2, ready.Data["maxParallelSequences"]);
        Assert.True((int)ready.Data["kvCellsInUse"] > 0, "the warm-up's sequence stays cached for reuse");
        Assert.Equal("Closed", ready.Data["circuitState"]);

        var chat = host.Services.GetRequiredService<IChatClient>();
        Assert.NotNull(chat.GetService<FunctionInvokingChatClient>());
        Assert.Equal(2, chat.GetService<Llama4ResilienceStatistics>()!.MaxConcurrentRequests);
        var response = await chat.GetResponseAsync("Hello there", new ChatOptions { Seed = 1, MaxOutputTokens = 8 }, Token);
        Assert.NotEmpty(response.Messages);
        Assert.InRange(response.Usage?.OutputTokenCount ?? 0, 1, 8);

        var embeddings = host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var engine = Assert.IsType<Llama4Engine>(embeddings.GetService(typeof(Llama4Engine)));
        Assert.Same(engine, chat.GetService<Llama4Engine>());
        var vectors = await embeddings.GenerateAsync(["first", "second"], cancellationToken: Token);
        Assert.Equal(2, vectors.Count);
        Assert.Equal(engine.EmbeddingDimensions, vectors[0].Vector.Length);

        await host.StopAsync(Token);
        Assert.Equal(Llama4ModelState.Stopped, status.State);
        Assert.Equal(0, engine.GetStatistics().LiveSequences);
        await Assert.ThrowsAsync<Llama4HostStoppingException>(() => chat.GetResponseAsync("Too late", cancellationToken: Token));
        Assert.Equal(HealthStatus.Unhealthy, (await CheckAsync(host)).Status);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CheckHealthAsync_EverySequenceBusyAndOneMoreWaiting_IsDegradedUntilTheyFinish(bool resilience)
    {
        var settings = TestHosts.TinyModelSettings();
        settings["Llama4:ContextSize"] = "32768";
        settings["Llama4:Hosting:WarmUp"] = "false";
        var builder = TestHosts.CreateBuilder(settings);
        var pipeline = builder.AddLlama4();
        if (resilience)
        {
            pipeline.UseLlama4Resilience();
        }

        using var host = builder.Build();
        await host.StartAsync(Token);
        await host.Services.GetRequiredService<Llama4ModelStatus>().WaitUntilReadyAsync(Token);
        var chat = host.Services.GetRequiredService<IChatClient>();

        // Two long generations hold both sequences (each delivered an update; its caller reads no further), a third waits.
        var running = new List<IAsyncEnumerator<ChatResponseUpdate>>();
        for (var i = 0; i < 2; i++)
        {
            var stream = chat.GetStreamingResponseAsync($"Long story {i}", LongGeneration(i), Token).GetAsyncEnumerator(Token);
            Assert.True(await stream.MoveNextAsync());
            running.Add(stream);
        }

        var queued = chat.GetStreamingResponseAsync("Waiting", LongGeneration(7), Token).GetAsyncEnumerator(Token);
        var queuedMove = queued.MoveNextAsync().AsTask();
        var saturated = await WaitForHealthAsync(host, HealthStatus.Degraded);
        Assert.Contains("saturated", saturated.Description, StringComparison.Ordinal);
        Assert.Equal(2, saturated.Data["liveSequences"]);
        Assert.Equal(resilience ? 0 : 1, saturated.Data["queuedRequests"]);
        if (resilience)
        {
            Assert.Equal(1, saturated.Data["admissionQueuedRequests"]);
        }

        foreach (var stream in running)
        {
            await stream.DisposeAsync();
        }

        Assert.True(await queuedMove);
        await queued.DisposeAsync();
        var healthy = await WaitForHealthAsync(host, HealthStatus.Healthy);
        Assert.Equal(0, healthy.Data["liveSequences"]);
        Assert.Equal(0, healthy.Data["queuedRequests"]);
        await host.StopAsync(Token);
    }

    [Fact]
    public async Task StopAsync_RequestsOutlastTheDrainTimeout_CancelsThemTypedAndFreesTheirSequences()
    {
        var settings = TestHosts.TinyModelSettings();
        settings["Llama4:ContextSize"] = "32768";
        settings["Llama4:Hosting:ShutdownDrainTimeout"] = "00:00:00";
        var builder = TestHosts.CreateBuilder(settings);
        builder.AddLlama4();
        using var host = builder.Build();
        var status = host.Services.GetRequiredService<Llama4ModelStatus>();
        await host.StartAsync(Token);
        await status.WaitUntilReadyAsync(Token);
        var chat = host.Services.GetRequiredService<IChatClient>();
        var embeddings = host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var engine = chat.GetRequiredService<Llama4Engine>();

        // Two callers read long generations; both have received tokens when the host stops.
        var firstTokens = Enumerable.Range(0, 2).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToList();
        var callers = Enumerable.Range(0, 2).Select(i => Task.Run(async () =>
        {
            await foreach (var update in chat.GetStreamingResponseAsync($"Long story {i}", LongGeneration(i), Token))
            {
                firstTokens[i].TrySetResult();
            }
        }, Token)).ToList();
        await Task.WhenAll(firstTokens.Select(t => t.Task));
        Assert.Equal(2, engine.GetStatistics().LiveSequences);

        await host.StopAsync(Token);

        foreach (var caller in callers)
        {
            var error = await Assert.ThrowsAsync<Llama4HostStoppingException>(() => caller);
            Assert.Contains("ShutdownDrainTimeout", error.Message, StringComparison.Ordinal);
            Assert.IsAssignableFrom<OperationCanceledException>(error.InnerException);
        }

        Assert.Equal(0, engine.GetStatistics().LiveSequences);
        Assert.Equal(0, engine.GetStatistics().QueuedRequests);
        Assert.Equal(Llama4ModelState.Stopped, status.State);
        await Assert.ThrowsAsync<Llama4HostStoppingException>(() => chat.GetResponseAsync("After the stop", cancellationToken: Token));
        await Assert.ThrowsAsync<Llama4HostStoppingException>(() => embeddings.GenerateAsync(["after the stop"], cancellationToken: Token));
    }

    [Fact]
    public async Task StopAsync_RequestFinishesWithinTheDrainTimeout_CompletesNormally()
    {
        var builder = TestHosts.CreateBuilder(TestHosts.TinyModelSettings());
        builder.AddLlama4();
        using var host = builder.Build();
        var status = host.Services.GetRequiredService<Llama4ModelStatus>();
        await host.StartAsync(Token);
        await status.WaitUntilReadyAsync(Token);
        var chat = host.Services.GetRequiredService<IChatClient>();
        var engine = chat.GetRequiredService<Llama4Engine>();

        var stream = chat.GetStreamingResponseAsync("A short answer", new ChatOptions { Seed = 3, MaxOutputTokens = 16 }, Token).GetAsyncEnumerator(Token);
        Assert.True(await stream.MoveNextAsync());
        var stopping = host.StopAsync(Token);
        Assert.Equal(Llama4ModelState.Stopping, status.State);
        await Assert.ThrowsAsync<Llama4HostStoppingException>(() => chat.GetResponseAsync("Not admitted any more", cancellationToken: Token));

        var updates = new List<ChatResponseUpdate> { stream.Current };
        while (await stream.MoveNextAsync())
        {
            updates.Add(stream.Current);
        }

        await stream.DisposeAsync();
        await stopping;
        Assert.NotNull(updates.ToChatResponse().FinishReason);
        Assert.Equal(Llama4ModelState.Stopped, status.State);
        Assert.Equal(0, engine.GetStatistics().LiveSequences);
    }

    [Fact]
    public async Task StartAsync_ModelFileGoneBeforeTheLoad_IsUnhealthyAndClientsThrowTyped()
    {
        // The file passes validation at start, then disappears before the background load reads it (a hosted service
        // registered first runs between the two).
        var directory = Path.Combine(Path.GetTempPath(), $"llama4-hosting-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "model.gguf");
        File.Copy(TinyModelFiles.Default, path);
        try
        {
            var builder = TestHosts.CreateBuilder(TestHosts.TinyModelSettings(path));
            builder.Services.AddHostedService(_ => new DeletingHostedService(path));
            builder.AddLlama4().UseLlama4Resilience();
            using var host = builder.Build();
            var status = host.Services.GetRequiredService<Llama4ModelStatus>();

            await host.StartAsync(Token);

            var failure = await Assert.ThrowsAsync<Llama4ModelUnavailableException>(() => status.WaitUntilReadyAsync(Token));
            var cause = Assert.IsType<Llama4ModelValidationException>(failure.InnerException);
            Assert.Equal(Llama4ModelProblem.FileNotFound, cause.Problem);
            Assert.Contains(path, failure.Message, StringComparison.Ordinal);
            Assert.Contains("restart the host", failure.Message, StringComparison.Ordinal);
            Assert.Equal(Llama4ModelState.Failed, status.State);
            Assert.Same(cause, status.Failure);

            var health = await CheckAsync(host);
            Assert.Equal(HealthStatus.Unhealthy, health.Status);
            Assert.Contains("failed to load", health.Description, StringComparison.Ordinal);
            Assert.Same(cause, health.Exception);

            var chat = host.Services.GetRequiredService<IChatClient>();
            var chatError = await Assert.ThrowsAsync<Llama4ModelUnavailableException>(() => chat.GetResponseAsync("Hello", cancellationToken: Token));
            Assert.Same(cause, chatError.InnerException);
            var embeddings = host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
            await Assert.ThrowsAsync<Llama4ModelUnavailableException>(() => embeddings.GenerateAsync(["hello"], cancellationToken: Token));

            await host.StopAsync(Token);
            Assert.Equal(Llama4ModelState.Failed, status.State);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task StartAsync_WarmUpOn_LogsEachStepOfTheLoad()
    {
        var log = new RecordingLoggerProvider("Llama4.Hosting.Llama4ModelHost");
        var builder = TestHosts.CreateBuilder(TestHosts.TinyModelSettings());
        builder.Logging.AddProvider(log);
        builder.AddLlama4();
        using var host = builder.Build();

        await host.StartAsync(Token);
        await host.Services.GetRequiredService<Llama4ModelStatus>().WaitUntilReadyAsync(Token);
        await host.StopAsync(Token);

        var entries = log.Entries;
        Assert.Equal([700, 701, 702, 703, 704, 711], entries.Select(e => e.EventId.Id));
        Assert.Contains(TinyModelFiles.Default, entries[0].Message, StringComparison.Ordinal);
        Assert.Contains("MiB", entries[1].Message, StringComparison.Ordinal);
        Assert.Contains(" ms.", entries[2].Message, StringComparison.Ordinal);
        Assert.StartsWith("Warmed up", entries[3].Message, StringComparison.Ordinal);
        Assert.Contains("0 live sequences", entries[5].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopAsync_WhileTheModelLoads_EndsStoppedWithoutServing()
    {
        var builder = TestHosts.CreateBuilder(TestHosts.TinyModelSettings());
        builder.AddLlama4();
        using var host = builder.Build();
        var status = host.Services.GetRequiredService<Llama4ModelStatus>();
        var chat = host.Services.GetRequiredService<IChatClient>();

        await host.StartAsync(Token);
        var waiting = chat.GetResponseAsync("Waiting for the model", cancellationToken: Token);
        await host.StopAsync(Token);

        Assert.Equal(Llama4ModelState.Stopped, status.State);
        await Assert.ThrowsAsync<Llama4HostStoppingException>(() => waiting);
        await Assert.ThrowsAsync<Llama4HostStoppingException>(() => status.WaitUntilReadyAsync(Token));
        Assert.Null(chat.GetService<Llama4Engine>());
    }

    private static ChatOptions LongGeneration(int seed) => new() { Seed = seed, MaxOutputTokens = 6000 };

    private static async Task<HealthReportEntry> CheckAsync(IHost host)
    {
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Name == "llama4", Token);
        var entry = Assert.Single(report.Entries);
        Assert.Equal("llama4", entry.Key);
        Assert.Contains("llama4", entry.Value.Tags);
        return entry.Value;
    }

    private static async Task<HealthReportEntry> WaitForHealthAsync(IHost host, HealthStatus expected)
    {
        var entry = await CheckAsync(host);
        for (var i = 0; i < 3000 && entry.Status != expected; i++)
        {
            await Task.Delay(10, Token);
            entry = await CheckAsync(host);
        }

        Assert.True(entry.Status == expected, $"the health check stayed {entry.Status} ({entry.Description}) instead of {expected}");
        return entry;
    }

    /// <summary>Deletes the model file when the host starts, after the options were validated and before the model loads.</summary>
    private sealed class DeletingHostedService(string path) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            File.Delete(path);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
