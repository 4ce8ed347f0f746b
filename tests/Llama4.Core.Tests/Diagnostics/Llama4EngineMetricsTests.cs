using Llama4.Testing;

namespace Llama4.Core.Tests.Diagnostics;

public sealed class Llama4EngineMetricsTests(TelemetryEngineFixture fixture) : IClassFixture<TelemetryEngineFixture>
{
    private static readonly string[] DocumentedInstruments =
    [
        Llama4Telemetry.RequestDurationInstrument,
        Llama4Telemetry.TimeToFirstTokenInstrument,
        Llama4Telemetry.TimePerOutputTokenInstrument,
        Llama4Telemetry.QueueTimeInstrument,
        Llama4Telemetry.TokensInstrument,
        Llama4Telemetry.PromptTokensReusedInstrument,
        Llama4Telemetry.PromptTokensProcessedInstrument,
        Llama4Telemetry.QueueLengthInstrument,
        Llama4Telemetry.LiveSequencesInstrument,
        Llama4Telemetry.IdleSequencesInstrument,
        Llama4Telemetry.KvCellsInUseInstrument,
    ];

    private readonly Llama4Engine _engine = fixture.Engine;

    [Fact]
    public void Meter_Listener_SeesEveryDocumentedInstrument()
    {
        using var recorder = new MetricsRecorder(fixture.MeterScope);

        Assert.Equal(DocumentedInstruments.Order(StringComparer.Ordinal), recorder.Instruments.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("s", recorder.Instruments[Llama4Telemetry.RequestDurationInstrument].Unit);
        Assert.Equal("{token}", recorder.Instruments[Llama4Telemetry.TokensInstrument].Unit);
        Assert.Equal("{cell}", recorder.Instruments[Llama4Telemetry.KvCellsInUseInstrument].Unit);
    }

    [Fact]
    public async Task GenerateAsync_ConcurrentRequests_TokenCountsEqualReportedUsage()
    {
        using var recorder = new MetricsRecorder(fixture.MeterScope);
        var ct = TestContext.Current.CancellationToken;

        var results = await Task.WhenAll(
            GenerationResult.CollectAsync(_engine, Prompts.Seeded(seed: 1, maxOutputTokens: 6, user: "metrics one"), ct),
            GenerationResult.CollectAsync(_engine, Prompts.Seeded(seed: 2, maxOutputTokens: 9, user: "metrics two"), ct),
            GenerationResult.CollectAsync(_engine, Prompts.Seeded(seed: 3, maxOutputTokens: 1, user: "metrics three"), ct));

        var tokens = recorder.Of(Llama4Telemetry.TokensInstrument);
        Assert.Equal(results.Sum(r => r.Usage.PromptTokens), tokens.Where(m => (string?)m.Tag(Llama4Telemetry.TokenTypeAttribute) == "input").Sum(m => m.Value));
        Assert.Equal(results.Sum(r => r.Usage.OutputTokens), tokens.Where(m => (string?)m.Tag(Llama4Telemetry.TokenTypeAttribute) == "output").Sum(m => m.Value));
        Assert.Equal(results.Sum(r => r.Usage.CachedPromptTokens), recorder.Of(Llama4Telemetry.PromptTokensReusedInstrument).Sum(m => m.Value));
        Assert.Equal(results.Sum(r => r.Usage.PromptTokens - r.Usage.CachedPromptTokens), recorder.Of(Llama4Telemetry.PromptTokensProcessedInstrument).Sum(m => m.Value));
        Assert.Equal(3, recorder.Of(Llama4Telemetry.TimeToFirstTokenInstrument).Count);
        Assert.Equal(3, recorder.Of(Llama4Telemetry.QueueTimeInstrument).Count);
        Assert.Equal(results.Count(r => r.Usage.OutputTokens > 1), recorder.Of(Llama4Telemetry.TimePerOutputTokenInstrument).Count);
        var durations = recorder.Of(Llama4Telemetry.RequestDurationInstrument);
        Assert.Equal(3, durations.Count);
        Assert.All(durations, m =>
        {
            Assert.Null(m.Tag(Llama4Telemetry.ErrorTypeAttribute));
            Assert.Equal(Llama4Telemetry.ChatOperationName, m.Tag(Llama4Telemetry.OperationNameAttribute));
            Assert.Equal(Llama4Telemetry.ProviderName, m.Tag(Llama4Telemetry.ProviderNameAttribute));
            Assert.Equal(_engine.ModelId, m.Tag(Llama4Telemetry.RequestModelAttribute));
            Assert.True(m.Value > 0);
        });
    }

    [Fact]
    public async Task GenerateAsync_CancelledRequest_RecordsDurationWithErrorTypeAndNoTimeToFirstToken()
    {
        using var recorder = new MetricsRecorder(fixture.MeterScope);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in _engine.GenerateAsync(Prompts.Seeded(seed: 4, maxOutputTokens: null, user: "cancel me"), cts.Token))
            {
                await cts.CancelAsync();
            }
        });

        var duration = Assert.Single(recorder.Of(Llama4Telemetry.RequestDurationInstrument));
        Assert.Equal(typeof(OperationCanceledException).FullName, duration.Tag(Llama4Telemetry.ErrorTypeAttribute));
        Assert.Empty(recorder.Of(Llama4Telemetry.TimeToFirstTokenInstrument));
        Assert.Empty(recorder.Of(Llama4Telemetry.TimePerOutputTokenInstrument));
    }

    [Fact]
    public async Task GenerateAsync_ListenerThrows_RequestStillCompletes()
    {
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, fixture.MeterScope))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, _, _) => throw new InvalidOperationException("listener bug"));
        listener.SetMeasurementEventCallback<double>((_, _, _, _) => throw new InvalidOperationException("listener bug"));
        listener.Start();

        var result = await GenerationResult.CollectAsync(_engine, Prompts.Seeded(seed: 6, maxOutputTokens: 3, user: "throwing listener"), TestContext.Current.CancellationToken);

        Assert.InRange(result.Usage.OutputTokens, 1, 3);
    }

    [Fact]
    public async Task ObservableGauges_AfterRequests_MatchStatistics()
    {
        using var recorder = new MetricsRecorder(fixture.MeterScope);
        await GenerationResult.CollectAsync(_engine, Prompts.Seeded(seed: 5, maxOutputTokens: 4, user: "gauges"), TestContext.Current.CancellationToken);

        // The loop publishes its counters at the top of its next turn, just after the request was released.
        var statistics = _engine.GetStatistics();
        for (var i = 0; i < 1000 && (statistics.LiveSequences > 0 || statistics.IdleSequences == 0); i++)
        {
            await Task.Delay(5, TestContext.Current.CancellationToken);
            statistics = _engine.GetStatistics();
        }

        recorder.RecordObservableInstruments();

        Assert.Equal(statistics.QueuedRequests, Assert.Single(recorder.Of(Llama4Telemetry.QueueLengthInstrument)).Value);
        Assert.Equal(statistics.LiveSequences, Assert.Single(recorder.Of(Llama4Telemetry.LiveSequencesInstrument)).Value);
        Assert.Equal(statistics.IdleSequences, Assert.Single(recorder.Of(Llama4Telemetry.IdleSequencesInstrument)).Value);
        var cells = Assert.Single(recorder.Of(Llama4Telemetry.KvCellsInUseInstrument));
        Assert.Equal(statistics.KvCellsInUse, cells.Value);
        Assert.Equal(_engine.ModelId, cells.Tag(Llama4Telemetry.RequestModelAttribute));
        Assert.True(statistics.IdleSequences > 0);
        Assert.True(statistics.KvCellsInUse > 0);
    }
}
