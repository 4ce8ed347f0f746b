using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace Llama4.Core.Diagnostics;

/// <summary>
/// The instruments of the <see cref="Llama4Telemetry.MeterName"/> meter. One set per <see cref="Meter"/>: an
/// <see cref="IMeterFactory"/> hands every engine the same meter, so the instruments are created once per meter and the
/// observable gauges report every registered engine (tagged with its model id). Nothing here runs per token.
/// </summary>
internal sealed class EngineMetrics
{
    private static readonly Meter DefaultMeter = new(Llama4Telemetry.MeterName, typeof(EngineMetrics).Assembly.GetName().Version?.ToString());
    private static readonly ConditionalWeakTable<Meter, EngineMetrics> ByMeter = [];

    private readonly List<Llama4Engine> _engines = [];
    private readonly Histogram<double> _requestDuration;
    private readonly Histogram<double> _timeToFirstToken;
    private readonly Histogram<double> _timePerOutputToken;
    private readonly Histogram<double> _queueTime;
    private readonly Counter<long> _tokens;
    private readonly Counter<long> _promptTokensReused;
    private readonly Counter<long> _promptTokensProcessed;

    private EngineMetrics(Meter meter)
    {
        _requestDuration = meter.CreateHistogram(Llama4Telemetry.RequestDurationInstrument, "s", "Duration of engine requests, from submission to the final update or failure.", advice: DurationAdvice);
        _timeToFirstToken = meter.CreateHistogram(Llama4Telemetry.TimeToFirstTokenInstrument, "s", "Time from submission to the first output token, queue wait included.", advice: TimeToFirstTokenAdvice);
        _timePerOutputToken = meter.CreateHistogram(Llama4Telemetry.TimePerOutputTokenInstrument, "s", "Mean time per output token after the first.", advice: TokenTimeAdvice);
        _queueTime = meter.CreateHistogram(Llama4Telemetry.QueueTimeInstrument, "s", "Time requests wait for a sequence.", advice: DurationAdvice);
        _tokens = meter.CreateCounter<long>(Llama4Telemetry.TokensInstrument, "{token}", "Input (prompt) and output tokens of admitted requests.");
        _promptTokensReused = meter.CreateCounter<long>(Llama4Telemetry.PromptTokensReusedInstrument, "{token}", "Prompt tokens reused from the KV cache.");
        _promptTokensProcessed = meter.CreateCounter<long>(Llama4Telemetry.PromptTokensProcessedInstrument, "{token}", "Prompt tokens decoded.");
        meter.CreateObservableGauge(Llama4Telemetry.QueueLengthInstrument, () => Observe(s => s.QueuedRequests), "{request}", "Requests waiting for a sequence.");
        meter.CreateObservableGauge(Llama4Telemetry.LiveSequencesInstrument, () => Observe(s => s.LiveSequences), "{sequence}", "Sequences generating a reply.");
        meter.CreateObservableGauge(Llama4Telemetry.IdleSequencesInstrument, () => Observe(s => s.IdleSequences), "{sequence}", "Finished sequences kept in the KV cache for reuse.");
        meter.CreateObservableGauge(Llama4Telemetry.KvCellsInUseInstrument, () => Observe(s => s.KvCellsInUse), "{cell}", "KV cells in use, reserved output included.");
    }

    private static InstrumentAdvice<double> DurationAdvice { get; } = new()
    {
        HistogramBucketBoundaries = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92],
    };

    // The OpenTelemetry GenAI semantic conventions' advice for gen_ai.server.time_to_first_token.
    private static InstrumentAdvice<double> TimeToFirstTokenAdvice { get; } = new()
    {
        HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0],
    };

    private static InstrumentAdvice<double> TokenTimeAdvice { get; } = new()
    {
        HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.02, 0.03, 0.04, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5],
    };

    /// <summary>Gets the instruments of the factory's meter, or of a process-wide meter when there is no factory.</summary>
    public static EngineMetrics For(IMeterFactory? meterFactory)
    {
        var meter = meterFactory?.Create(new MeterOptions(Llama4Telemetry.MeterName) { Version = DefaultMeter.Version }) ?? DefaultMeter;
        return ByMeter.GetValue(meter, static m => new EngineMetrics(m));
    }

    public void Register(Llama4Engine engine)
    {
        lock (_engines)
        {
            _engines.Add(engine);
        }
    }

    public void Unregister(Llama4Engine engine)
    {
        lock (_engines)
        {
            _engines.Remove(engine);
        }
    }

    /// <summary>Records what a request placed in the cache: its prompt split into reused and decoded tokens.</summary>
    public void RecordPlacement(string model, int reused, int processed)
    {
        if (!_promptTokensReused.Enabled && !_promptTokensProcessed.Enabled)
        {
            return;
        }

        try
        {
            var tags = CommonTags(model);
            _promptTokensReused.Add(reused, tags);
            _promptTokensProcessed.Add(processed, tags);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A listener's exception must never fail a request or stall the inference loop that records on it.
        }
    }

    /// <summary>Records a request that ended, successfully (<paramref name="error"/> null) or not.</summary>
    public void RecordRequest(string model, long submittedAt, long admittedAt, long firstTokenAt, int inputTokens, int outputTokens, Exception? error)
    {
        if (!_requestDuration.Enabled && !_timeToFirstToken.Enabled && !_timePerOutputToken.Enabled && !_queueTime.Enabled && !_tokens.Enabled)
        {
            return;
        }

        try
        {
            Record(model, submittedAt, admittedAt, firstTokenAt, inputTokens, outputTokens, error);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A listener's exception must never fail a request or stall the inference loop that records on it.
        }
    }

    /// <summary>The <c>error.type</c> of an exception: its full type name, one name for every kind of cancellation.</summary>
    public static string ErrorType(Exception error) =>
        error is OperationCanceledException ? typeof(OperationCanceledException).FullName! : error.GetType().FullName ?? error.GetType().Name;

    private void Record(string model, long submittedAt, long admittedAt, long firstTokenAt, int inputTokens, int outputTokens, Exception? error)
    {
        var now = Stopwatch.GetTimestamp();
        var tags = CommonTags(model);
        if (admittedAt != 0)
        {
            _queueTime.Record(Stopwatch.GetElapsedTime(submittedAt, admittedAt).TotalSeconds, tags);
            var input = tags;
            input.Add(Llama4Telemetry.TokenTypeAttribute, "input");
            _tokens.Add(inputTokens, input);
            var output = tags;
            output.Add(Llama4Telemetry.TokenTypeAttribute, "output");
            _tokens.Add(outputTokens, output);
        }

        if (error is null && firstTokenAt != 0)
        {
            _timeToFirstToken.Record(Stopwatch.GetElapsedTime(submittedAt, firstTokenAt).TotalSeconds, tags);
            if (outputTokens > 1)
            {
                _timePerOutputToken.Record(Stopwatch.GetElapsedTime(firstTokenAt, now).TotalSeconds / (outputTokens - 1), tags);
            }
        }

        if (error is not null)
        {
            tags.Add(Llama4Telemetry.ErrorTypeAttribute, ErrorType(error));
        }

        _requestDuration.Record(Stopwatch.GetElapsedTime(submittedAt, now).TotalSeconds, tags);
    }

    private static TagList CommonTags(string model) => new()
    {
        { Llama4Telemetry.OperationNameAttribute, Llama4Telemetry.ChatOperationName },
        { Llama4Telemetry.ProviderNameAttribute, Llama4Telemetry.ProviderName },
        { Llama4Telemetry.RequestModelAttribute, model },
    };

    private List<Measurement<int>> Observe(Func<Llama4EngineStatistics, int> read)
    {
        lock (_engines)
        {
            var measurements = new List<Measurement<int>>(_engines.Count);
            foreach (var engine in _engines)
            {
                measurements.Add(new Measurement<int>(read(engine.GetStatistics()), new KeyValuePair<string, object?>(Llama4Telemetry.RequestModelAttribute, engine.ModelId)));
            }

            return measurements;
        }
    }
}
