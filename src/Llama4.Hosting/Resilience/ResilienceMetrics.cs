using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace Llama4.Hosting;

/// <summary>
/// The instruments of the <see cref="MeterName"/> meter, created once per <see cref="Meter"/> (an
/// <see cref="IMeterFactory"/> hands every client the same meter). Up-down counters rather than observable gauges, so
/// that several clients on one meter add up without registering callbacks.
/// </summary>
internal sealed class ResilienceMetrics
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "Llama4.Resilience";

    private static readonly Meter DefaultMeter = new(MeterName, typeof(ResilienceMetrics).Assembly.GetName().Version?.ToString());
    private static readonly ConditionalWeakTable<Meter, ResilienceMetrics> ByMeter = [];

    private readonly UpDownCounter<long> _active;
    private readonly UpDownCounter<long> _queued;
    private readonly Counter<long> _rejections;
    private readonly Counter<long> _timeouts;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _reductions;

    private ResilienceMetrics(Meter meter)
    {
        _active = meter.CreateUpDownCounter<long>("llama4.resilience.active_requests", "{request}", "Admitted requests running.");
        _queued = meter.CreateUpDownCounter<long>("llama4.resilience.queued_requests", "{request}", "Requests waiting for admission.");
        _rejections = meter.CreateCounter<long>("llama4.resilience.rejections", "{request}", "Requests refused because every slot was busy and the queue was full.");
        _timeouts = meter.CreateCounter<long>("llama4.resilience.timeouts", "{request}", "Requests ended by a timeout, by kind (llama4.timeout.kind).");
        _retries = meter.CreateCounter<long>("llama4.resilience.retries", "{retry}", "Retries of requests that failed in the engine before their first token.");
        _reductions = meter.CreateCounter<long>("llama4.resilience.history_reductions", "{request}", "Requests whose history was reduced and retried after a context overflow.");
    }

    public static ResilienceMetrics For(IMeterFactory? meterFactory)
    {
        var meter = meterFactory?.Create(new MeterOptions(MeterName) { Version = DefaultMeter.Version }) ?? DefaultMeter;
        return ByMeter.GetValue(meter, static m => new ResilienceMetrics(m));
    }

    public void Queued(int delta) => _queued.Add(delta);

    public void Active(int delta) => _active.Add(delta);

    public void Rejected() => _rejections.Add(1);

    public void Retried() => _retries.Add(1);

    public void Reduced() => _reductions.Add(1);

    public void TimedOut(Llama4TimeoutKind kind) => _timeouts.Add(1, new TagList { { "llama4.timeout.kind", TagValue(kind) } });

    private static string TagValue(Llama4TimeoutKind kind) => kind switch
    {
        Llama4TimeoutKind.TimeToFirstToken => "time_to_first_token",
        Llama4TimeoutKind.InterToken => "inter_token",
        _ => "total",
    };
}
