using System.Diagnostics.Metrics;
using Llama4.Core;
using Llama4.Extensions.AI;
using Llama4.Testing;
using Microsoft.Extensions.AI;
using Polly.CircuitBreaker;

namespace Llama4.Hosting.Tests.Resilience;

public sealed class Llama4ResilientChatClientTests(ResilienceEngineFixture fixture) : IClassFixture<ResilienceEngineFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private Llama4Engine Engine => fixture.Engine;

    [Fact]
    public void Constructor_OverEngineClient_SizesAdmissionToSequences()
    {
        using var client = new Llama4ResilientChatClient(new Llama4ChatClient(Engine));

        Assert.Equal(Engine.MaxParallelSequences, client.MaxConcurrentRequests);
        Assert.Equal(Engine.MaxParallelSequences, client.QueueLimit);
        var statistics = client.GetService<Llama4ResilienceStatistics>();
        Assert.NotNull(statistics);
        Assert.Equal(CircuitState.Closed, statistics.CircuitState);
        Assert.False(statistics.IsSaturated);
    }

    [Fact]
    public void Constructor_OverFunctionInvokingClient_RefusesBecauseRetryWouldReplayTools()
    {
        using var inner = new FunctionInvokingChatClient(new Llama4ChatClient(Engine));

        var error = Assert.Throws<InvalidOperationException>(() => new Llama4ResilientChatClient(inner));
        Assert.Contains("UseLlama4Resilience() after UseFunctionInvocation()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UseLlama4Resilience_AfterUseFunctionInvocation_SitsCloserToTheModel()
    {
        using var client = new Llama4ChatClient(Engine).AsBuilder().UseFunctionInvocation().UseLlama4Resilience(o => o.QueueLimit = 5).Build();

        Assert.NotNull(client.GetService<FunctionInvokingChatClient>());
        Assert.Equal(5, client.GetService<Llama4ResilienceStatistics>()!.QueueLimit);
        Assert.Throws<InvalidOperationException>(() => new Llama4ChatClient(Engine).AsBuilder().UseLlama4Resilience().UseFunctionInvocation().Build());
    }

    [Fact]
    public void Constructor_InvalidOptions_NamesTheSetting()
    {
        var error = Assert.Throws<ArgumentException>(() => new Llama4ResilientChatClient(new Llama4ChatClient(Engine), new Llama4ResilienceOptions { QueueLimit = -1 }));
        Assert.Contains("QueueLimit is -1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CapacityTwoQueueTwo_FifthIsRejectedAtOnce()
    {
        using var meters = new TestMeterFactory();
        using var recorder = new CounterRecorder(meters);
        using var client = new Llama4ResilientChatClient(new Llama4ChatClient(Engine), new Llama4ResilienceOptions { QueueLimit = 2 }, meterFactory: meters);
        Assert.Equal(2, client.MaxConcurrentRequests);

        // Two requests hold both slots: each delivered an update and its caller does not read further.
        var running = new List<IAsyncEnumerator<ChatResponseUpdate>>();
        for (var i = 0; i < 2; i++)
        {
            var stream = client.GetStreamingResponseAsync(Ask($"Running request {i}"), Options(seed: i), Token).GetAsyncEnumerator(Token);
            Assert.True(await stream.MoveNextAsync());
            running.Add(stream);
        }

        // Two more wait in the queue.
        var queued = Enumerable.Range(0, 2).Select(i => client.GetStreamingResponseAsync(Ask($"Queued request {i}"), Options(seed: 10 + i), Token).GetAsyncEnumerator(Token)).ToList();
        var queuedMoves = queued.Select(s => s.MoveNextAsync().AsTask()).ToList();
        await WaitUntilAsync(() => client.GetStatistics().QueuedRequests == 2);
        Assert.True(client.GetStatistics().IsSaturated);
        Assert.Equal(2, recorder.Sum("llama4.resilience.active_requests"));
        Assert.Equal(2, recorder.Sum("llama4.resilience.queued_requests"));

        // The fifth fails without waiting for a slot: the queued two are still waiting when it has failed.
        var fifth = client.GetStreamingResponseAsync(Ask("One too many"), Options(seed: 99), Token).GetAsyncEnumerator(Token);
        var rejection = await Assert.ThrowsAsync<Llama4AdmissionRejectedException>(async () => await fifth.MoveNextAsync());
        Assert.All(queuedMoves, m => Assert.False(m.IsCompleted));
        Assert.Equal(2, rejection.MaxConcurrentRequests);
        Assert.Equal(2, rejection.QueueLimit);
        Assert.Contains("QueueLimit", rejection.Message, StringComparison.Ordinal);
        Assert.Equal(1, client.GetStatistics().RejectedRequests);
        Assert.Equal(1, recorder.Sum("llama4.resilience.rejections"));
        await fifth.DisposeAsync();

        // Freeing the running two admits the queued two, which then stream normally.
        foreach (var stream in running)
        {
            await stream.DisposeAsync();
        }

        Assert.All(await Task.WhenAll(queuedMoves), Assert.True);
        foreach (var stream in queued)
        {
            while (await stream.MoveNextAsync())
            {
            }

            await stream.DisposeAsync();
        }

        var after = client.GetStatistics();
        Assert.Equal(0, after.ActiveRequests);
        Assert.Equal(0, after.QueuedRequests);
        Assert.Equal(0, recorder.Sum("llama4.resilience.active_requests"));
        Assert.Equal(0, recorder.Sum("llama4.resilience.queued_requests"));
        await WaitUntilAsync(() => Engine.GetStatistics().LiveSequences == 0);
    }

    private static readonly ChatResponseFormat LongStory = ChatResponseFormat.ForJsonSchema(
        System.Text.Json.JsonDocument.Parse("{\"type\":\"object\",\"properties\":{\"story\":{\"type\":\"string\",\"minLength\":400,\"maxLength\":500}},\"required\":[\"story\"]}").RootElement);

    [Theory]
    [InlineData(Llama4TimeoutKind.TimeToFirstToken, 0)]
    [InlineData(Llama4TimeoutKind.InterToken, 2)]
    [InlineData(Llama4TimeoutKind.Total, 1)]
    public async Task GetStreamingResponseAsync_TimeoutFires_FailsTypedAndFreesSequence(Llama4TimeoutKind kind, int stallAt)
    {
        // The total limit must outlast the first token even on a loaded machine, as the stall comes after it.
        var limit = TimeSpan.FromMilliseconds(kind == Llama4TimeoutKind.Total ? 3000 : 300);
        var options = kind switch
        {
            Llama4TimeoutKind.TimeToFirstToken => new Llama4ResilienceOptions { TimeToFirstTokenTimeout = limit },
            Llama4TimeoutKind.InterToken => new Llama4ResilienceOptions { InterTokenTimeout = limit },
            _ => new Llama4ResilienceOptions { TimeToFirstTokenTimeout = null, InterTokenTimeout = null, TotalTimeout = limit },
        };
        using var meters = new TestMeterFactory();
        using var recorder = new CounterRecorder(meters);
        var stalling = new StallingChatClient(new Llama4ChatClient(Engine), stallAt, () => Engine.GetStatistics().LiveSequences);
        using var client = new Llama4ResilientChatClient(stalling, options, meterFactory: meters);

        var delivered = 0;
        var timeout = await Assert.ThrowsAsync<Llama4TimeoutRejectedException>(async () =>
        {
            // No output limit: the engine would go on generating if the timeout did not cancel it. The reply must be a
            // long JSON string, so that a random-weight model cannot end its turn before the stall whatever it samples.
            await foreach (var update in client.GetStreamingResponseAsync(Ask("Tell me a long story."), new ChatOptions { Seed = 5, ResponseFormat = LongStory }, Token))
            {
                delivered++;
            }
        });

        Assert.Equal(kind, timeout.Kind);
        Assert.Equal(limit, timeout.Timeout);
        Assert.Equal(stallAt, delivered);
        Assert.Equal(1, stalling.LiveSequencesAtStall);
        await WaitUntilAsync(() => Engine.GetStatistics().LiveSequences == 0);
        Assert.Equal(0, client.GetStatistics().ActiveRequests);
        Assert.Equal(1, client.GetStatistics().TimedOutRequests);
        Assert.Equal(1, recorder.Sum("llama4.resilience.timeouts"));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_SlowCaller_StallTimerDoesNotCountReadingTime()
    {
        using var client = new Llama4ResilientChatClient(new Llama4ChatClient(Engine), new Llama4ResilienceOptions { InterTokenTimeout = TimeSpan.FromSeconds(2) });

        var delivered = 0;
        await foreach (var update in client.GetStreamingResponseAsync(Ask("Hello"), Options(seed: 8, maxTokens: 6), Token))
        {
            if (delivered++ == 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(3), Token);
            }
        }

        Assert.True(delivered >= 1);
        Assert.Equal(0, client.GetStatistics().TimedOutRequests);
    }

    [Fact]
    public async Task GetResponseAsync_EngineFailsBeforeFirstToken_RetriesAndSucceeds()
    {
        var faulty = new FaultInjectingChatClient(new Llama4ChatClient(Engine), call => call == 1);
        using var client = new Llama4ResilientChatClient(faulty, new Llama4ResilienceOptions { RetryDelay = TimeSpan.FromMilliseconds(1) });

        var response = await client.GetResponseAsync(Ask("Hello"), Options(seed: 3, maxTokens: 4), Token);

        Assert.NotNull(response.FinishReason);
        Assert.InRange(response.Usage!.OutputTokenCount!.Value, 1, 4);
        Assert.Equal(2, faulty.Calls);
        Assert.Equal(1, client.GetStatistics().Retries);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_EngineFailsAfterFirstToken_IsNotRetried()
    {
        var faulty = new FaultInjectingChatClient(new Llama4ChatClient(Engine), _ => true, updatesBeforeFailure: 1);
        using var client = new Llama4ResilientChatClient(faulty, new Llama4ResilienceOptions { RetryDelay = TimeSpan.FromMilliseconds(1) });

        var delivered = 0;
        await Assert.ThrowsAsync<Llama4InferenceException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync(Ask("Hello"), Options(seed: 4, maxTokens: 20), Token))
            {
                delivered++;
            }
        });

        Assert.Equal(1, delivered);
        Assert.Equal(1, faulty.Calls);
        Assert.Equal(0, client.GetStatistics().Retries);
        await WaitUntilAsync(() => Engine.GetStatistics().LiveSequences == 0);
    }

    [Fact]
    public async Task GetResponseAsync_RepeatedEngineFailures_OpenTheCircuit()
    {
        var faulty = new FaultInjectingChatClient(new Llama4ChatClient(Engine), _ => true);
        using var client = new Llama4ResilientChatClient(faulty, new Llama4ResilienceOptions
        {
            MaxRetryAttempts = 0,
            CircuitBreakerMinimumThroughput = 2,
            CircuitBreakerFailureRatio = 0.5,
            CircuitBreakerBreakDuration = TimeSpan.FromMinutes(1),
        });

        for (var i = 0; i < 2; i++)
        {
            await Assert.ThrowsAsync<Llama4InferenceException>(() => client.GetResponseAsync(Ask("Hello"), Options(seed: i, maxTokens: 2), Token));
        }

        await Assert.ThrowsAsync<BrokenCircuitException>(() => client.GetResponseAsync(Ask("Hello"), Options(seed: 7, maxTokens: 2), Token));
        Assert.Equal(2, faulty.Calls);
        Assert.Equal(CircuitState.Open, client.GetStatistics().CircuitState);
    }

    [Fact]
    public async Task GetResponseAsync_CallerCancels_EndsWithCancellationAndFreesSlot()
    {
        using var client = new Llama4ResilientChatClient(new Llama4ChatClient(Engine));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Token);

        var delivered = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync(Ask("Hello"), new ChatOptions { Seed = 6 }, cts.Token))
            {
                if (++delivered == 2)
                {
                    await cts.CancelAsync();
                }
            }
        });

        Assert.Equal(0, client.GetStatistics().ActiveRequests);
        Assert.Equal(0, client.GetStatistics().TimedOutRequests);
        await WaitUntilAsync(() => Engine.GetStatistics().LiveSequences == 0);
    }

    private static List<ChatMessage> Ask(string text) => [new(ChatRole.User, text)];

    private static ChatOptions Options(int seed, int maxTokens = 64) => new() { Seed = seed, MaxOutputTokens = maxTokens };

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 3000 && !condition(); i++)
        {
            await Task.Delay(10, Token);
        }

        Assert.True(condition(), "the condition was not reached within 30 seconds");
    }

    /// <summary>Sums the measurements of the counters of one meter factory.</summary>
    private sealed class CounterRecorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<string, long> _sums = [];

        public CounterRecorder(TestMeterFactory meters)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, meters))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
            {
                lock (_sums)
                {
                    _sums[instrument.Name] = _sums.GetValueOrDefault(instrument.Name) + value;
                }
            });
            _listener.Start();
        }

        public long Sum(string instrument)
        {
            lock (_sums)
            {
                return _sums.GetValueOrDefault(instrument);
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
