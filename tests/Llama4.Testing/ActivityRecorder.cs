using System.Collections.Concurrent;
using System.Diagnostics;

namespace Llama4.Testing;

/// <summary>
/// Records the stopped activities of the given sources that belong to the trace of a root activity the test starts
/// (other tests running in parallel have traces of their own).
/// </summary>
public sealed class ActivityRecorder : IDisposable
{
    private static readonly ActivitySource TestSource = new("Llama4.Tests.Telemetry");
    private readonly ActivityListener _listener;

    /// <summary>Starts listening to the given activity sources.</summary>
    /// <param name="sources">The source names.</param>
    public ActivityRecorder(params string[] sources)
    {
        HashSet<string> names = [TestSource.Name, .. sources];
        _listener = new ActivityListener
        {
            ShouldListenTo = source => names.Contains(source.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (Root is { } root && activity.TraceId == root.TraceId && activity != root)
                {
                    Stopped.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Gets the root activity, once started.</summary>
    public Activity? Root { get; private set; }

    /// <summary>Gets the stopped descendants of <see cref="Root"/>, in the order they stopped.</summary>
    public ConcurrentQueue<Activity> Stopped { get; } = new();

    /// <summary>Starts the root activity the recorded activities must descend from.</summary>
    /// <returns>The root activity.</returns>
    public Activity StartRoot() => Root = TestSource.StartActivity("test root") ?? throw new InvalidOperationException("The test source has no listener.");

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();
}
