using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Llama4.Moderation.Internal;

/// <summary>The instruments of the <c>Llama4.Moderation</c> meter (see <see cref="ModerationTelemetry"/>).</summary>
internal sealed class ModerationMetrics
{
    private static readonly Lazy<ModerationMetrics> Default = new(() => new ModerationMetrics(new Meter(ModerationTelemetry.MeterName)));

    private readonly Counter<long> _checks;
    private readonly Counter<long> _findings;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _failures;

    private ModerationMetrics(Meter meter)
    {
        _checks = meter.CreateCounter<long>(ModerationTelemetry.ChecksInstrument, "{check}", "Moderation checks, by source and action.");
        _findings = meter.CreateCounter<long>(ModerationTelemetry.FindingsInstrument, "{finding}", "Categories flagged by redacting or blocking verdicts.");
        _duration = meter.CreateHistogram<double>(ModerationTelemetry.DurationInstrument, "s", "Duration of moderation checks.");
        _failures = meter.CreateCounter<long>(ModerationTelemetry.FailuresInstrument, "{failure}", "Moderator failures and timeouts.");
    }

    public static ModerationMetrics Create(IMeterFactory? meterFactory) =>
        meterFactory is null ? Default.Value : new ModerationMetrics(meterFactory.Create(new MeterOptions(ModerationTelemetry.MeterName)));

    public void RecordCheck(ModerationSource source, ModerationVerdict verdict, double seconds)
    {
        var sourceTag = new KeyValuePair<string, object?>(ModerationTelemetry.SourceTag, TelemetryNames.Of(source));
        var actionTag = new KeyValuePair<string, object?>(ModerationTelemetry.ActionTag, TelemetryNames.Of(verdict.Action));
        _checks.Add(1, sourceTag, actionTag);
        _duration.Record(seconds, sourceTag, actionTag);
        if (verdict.Action == ModerationAction.Allow)
        {
            return;
        }

        foreach (var category in verdict.Categories)
        {
            var tags = new TagList { sourceTag, actionTag, { ModerationTelemetry.CategoryTag, TelemetryNames.Of(category) } };
            _findings.Add(1, tags);
        }
    }

    public void RecordFailure(ModerationSource source, string errorType, ModerationFailurePolicy policy) =>
        _failures.Add(
            1,
            new KeyValuePair<string, object?>(ModerationTelemetry.SourceTag, TelemetryNames.Of(source)),
            new KeyValuePair<string, object?>(ModerationTelemetry.ErrorTypeTag, errorType),
            new KeyValuePair<string, object?>(ModerationTelemetry.PolicyTag, policy == ModerationFailurePolicy.FailClosed ? "fail_closed" : "fail_open"));
}
