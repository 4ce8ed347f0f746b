using System.Diagnostics;
using Llama4.Core.Diagnostics;
using Llama4.Testing;

namespace Llama4.Core.Tests.Diagnostics;

public sealed class EngineMetricsTests
{
    [Fact]
    public void Record_WithoutListener_AllocatesNothing()
    {
        using var meterFactory = new TestMeterFactory();
        var metrics = EngineMetrics.For(meterFactory);
        var start = Stopwatch.GetTimestamp();
        metrics.RecordRequest("model", start, start, start, 10, 5, error: null);
        metrics.RecordPlacement("model", 3, 7);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            metrics.RecordPlacement("model", 3, 7);
            metrics.RecordRequest("model", start, start, start, 10, 5, error: null);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void ErrorType_AnyCancellation_IsOperationCanceledException()
    {
        Assert.Equal("System.OperationCanceledException", EngineMetrics.ErrorType(new TaskCanceledException()));
        Assert.Equal("Llama4.Core.Llama4InferenceException", EngineMetrics.ErrorType(new Llama4InferenceException("failed")));
    }

    [Fact]
    public void For_SameFactoryMeter_SharesInstruments()
    {
        using var meterFactory = new SharingMeterFactory();

        Assert.Same(EngineMetrics.For(meterFactory), EngineMetrics.For(meterFactory));
        Assert.Same(EngineMetrics.For(null), EngineMetrics.For(null));
    }

    [Fact]
    public void For_TimeToFirstTokenHistogram_AdvisesTheGenAiConventionsBuckets()
    {
        using var meterFactory = new TestMeterFactory();
        IReadOnlyList<double>? boundaries = null;
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Name == Llama4Telemetry.TimeToFirstTokenInstrument && instrument is System.Diagnostics.Metrics.Histogram<double> histogram)
                {
                    boundaries = histogram.Advice?.HistogramBucketBoundaries;
                }
            },
        };
        listener.Start();

        _ = EngineMetrics.For(meterFactory);

        Assert.Equal([0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0], boundaries);
    }

    /// <summary>Like DI's factory: one meter per name, whoever asks.</summary>
    private sealed class SharingMeterFactory : System.Diagnostics.Metrics.IMeterFactory
    {
        private readonly System.Diagnostics.Metrics.Meter _meter = new(Llama4Telemetry.MeterName);

        public System.Diagnostics.Metrics.Meter Create(System.Diagnostics.Metrics.MeterOptions options) => _meter;

        public void Dispose() => _meter.Dispose();
    }
}
