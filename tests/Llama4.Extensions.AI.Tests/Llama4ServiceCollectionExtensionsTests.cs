using System.Diagnostics.Metrics;
using Llama4.Core;
using Llama4.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Llama4.Extensions.AI.Tests;

public sealed class Llama4ServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddLlama4ChatClient_ResolvesClientOverSingletonEngine_AndRunsATurn()
    {
        var services = new ServiceCollection();
        services.AddLlama4ChatClient(o =>
        {
            o.ModelPath = TinyModelFiles.Default;
            o.ContextSize = 4096;
            o.MaxParallelSequences = 2;
            o.Backend = Llama4Backend.Cpu;
        }).ConfigureOptions(o => o.MaxOutputTokens ??= 4);

        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IChatClient>();
        var engine = provider.GetRequiredService<Llama4Engine>();

        Assert.Same(engine, client.GetService<Llama4Engine>());
        Assert.Same(engine, provider.GetRequiredService<Llama4Engine>());
        Assert.Equal(4096, engine.ContextSize);
        var response = await client.GetResponseAsync("Hello", cancellationToken: TestContext.Current.CancellationToken);
        Assert.InRange(response.Usage!.OutputTokenCount!.Value, 1, 4);
    }

    [Fact]
    public async Task AddLlama4ChatClient_WithMeterFactory_EngineMeterComesFromIt()
    {
        using var meterFactory = new TestMeterFactory();
        var services = new ServiceCollection();
        services.AddSingleton<IMeterFactory>(meterFactory);
        services.AddLlama4ChatClient(o =>
        {
            o.ModelPath = TinyModelFiles.Default;
            o.ContextSize = 2048;
            o.MaxParallelSequences = 1;
            o.Backend = Llama4Backend.Cpu;
        }).ConfigureOptions(o => o.MaxOutputTokens ??= 3);
        long outputTokens = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, meterFactory) && instrument.Name == Llama4Telemetry.TokensInstrument)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == Llama4Telemetry.TokenTypeAttribute && (string?)tag.Value == "output")
                {
                    Interlocked.Add(ref outputTokens, value);
                }
            }
        });
        listener.Start();

        await using var provider = services.BuildServiceProvider();
        var response = await provider.GetRequiredService<IChatClient>().GetResponseAsync("Hello", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(response.Usage!.OutputTokenCount, Interlocked.Read(ref outputTokens));
    }

    [Fact]
    public async Task AddKeyedLlama4ChatClient_ResolvesByKey()
    {
        var services = new ServiceCollection();
        services.AddKeyedLlama4ChatClient("small", o =>
        {
            o.ModelPath = TinyModelFiles.Default;
            o.ContextSize = 2048;
            o.MaxParallelSequences = 1;
            o.Backend = Llama4Backend.Cpu;
        });

        await using var provider = services.BuildServiceProvider();

        Assert.Null(provider.GetService<IChatClient>());
        var client = provider.GetRequiredKeyedService<IChatClient>("small");
        Assert.Equal(2048, client.GetService<Llama4Engine>()!.ContextSize);
        Assert.Same(provider.GetRequiredKeyedService<Llama4Engine>("small"), client.GetService<Llama4Engine>());
    }

    [Fact]
    public async Task AddLlama4ChatClient_InvalidOptions_FailValidationNamingTheSetting()
    {
        var services = new ServiceCollection();
        services.AddLlama4ChatClient(o => o.ContextSize = -1);

        await using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => { _ = provider.GetRequiredService<IChatClient>(); });
        Assert.Contains(ex.Failures, f => f.Contains(nameof(Llama4EngineOptions.ModelPath), StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains(nameof(Llama4EngineOptions.ContextSize), StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddLlama4EmbeddingGenerator_AfterChatClient_SharesTheEngine()
    {
        var services = new ServiceCollection();
        services.AddLlama4ChatClient(o =>
        {
            o.ModelPath = TinyModelFiles.Default;
            o.ContextSize = 4096;
            o.MaxParallelSequences = 2;
            o.Backend = Llama4Backend.Cpu;
        });
        services.AddLlama4EmbeddingGenerator(o => o.EmbeddingContextSize = 128);

        await using var provider = services.BuildServiceProvider();
        var generator = provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var engine = provider.GetRequiredService<Llama4Engine>();

        Assert.Same(engine, generator.GetService<Llama4Engine>());
        Assert.Same(engine, provider.GetRequiredService<IChatClient>().GetService<Llama4Engine>());
        Assert.Equal(128, engine.EmbeddingContextSize);
        var vector = await generator.GenerateVectorAsync("hello", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(engine.EmbeddingDimensions, vector.Length);
    }

    [Fact]
    public async Task AddLlama4EmbeddingGenerator_Alone_RegistersEngineAndMiddleware()
    {
        var services = new ServiceCollection();
        var calls = 0;
        services.AddLlama4EmbeddingGenerator(o =>
        {
            o.ModelPath = TinyModelFiles.Default;
            o.ContextSize = 1024;
            o.MaxParallelSequences = 1;
            o.Backend = Llama4Backend.Cpu;
        }).Use(async (values, options, inner, ct) =>
        {
            Interlocked.Increment(ref calls);
            return await inner.GenerateAsync(values, options, ct);
        });

        await using var provider = services.BuildServiceProvider();
        var generator = provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        var result = await generator.GenerateAsync(["one", "two"], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(2, result.Count);
        Assert.Equal(1, calls);
        Assert.NotNull(generator.GetService<Llama4EmbeddingGenerator>());
    }

    [Fact]
    public async Task AddKeyedLlama4EmbeddingGenerator_UsesTheKeyedEngine()
    {
        var services = new ServiceCollection();
        services.AddKeyedLlama4ChatClient("small", o =>
        {
            o.ModelPath = TinyModelFiles.Default;
            o.ContextSize = 2048;
            o.MaxParallelSequences = 1;
            o.Backend = Llama4Backend.Cpu;
        });
        services.AddKeyedLlama4EmbeddingGenerator("small");

        await using var provider = services.BuildServiceProvider();
        var generator = provider.GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>("small");
        var engine = provider.GetRequiredKeyedService<Llama4Engine>("small");

        Assert.Same(engine, generator.GetService<Llama4Engine>());
        Assert.Null(provider.GetService<IEmbeddingGenerator<string, Embedding<float>>>());
        var result = await generator.GenerateAsync(["keyed"], cancellationToken: TestContext.Current.CancellationToken);
        Assert.Single(result);
    }
}
