using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Llama4.Hosting;

/// <summary>
/// Reports the hosted model: Unhealthy while it is not serving (not started, loading, failed, stopping), Degraded
/// while it is saturated (every sequence runs a request and at least one more request waits in the engine's queue),
/// Healthy otherwise. The data carries the engine's live sequences, queue and KV cells.
/// </summary>
internal sealed class Llama4HealthCheck(Llama4ModelHost host) : IHealthCheck
{
    /// <summary>The name the check is registered under.</summary>
    public const string Name = "llama4";

    /// <summary>The tags the check is registered with.</summary>
    public static readonly string[] Tags = ["llama4", "model"];

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = host.Status;
        var engine = host.Engine;
        var data = new Dictionary<string, object>
        {
            ["state"] = status.State.ToString(),
            ["modelPath"] = status.ModelPath,
        };
        if (status.State != Llama4ModelState.Ready || engine is null)
        {
            return Task.FromResult(status.State switch
            {
                Llama4ModelState.NotStarted => HealthCheckResult.Unhealthy("The Llama 4 model has not started loading: the host has not started.", data: data),
                Llama4ModelState.Loading => HealthCheckResult.Unhealthy($"The Llama 4 model '{status.ModelPath}' is loading.", data: data),
                Llama4ModelState.Failed => HealthCheckResult.Unhealthy($"The Llama 4 model '{status.ModelPath}' failed to load: {status.Failure?.Message}", status.Failure, data),
                _ => HealthCheckResult.Unhealthy("The host is stopping: the Llama 4 model no longer accepts requests.", data: data),
            });
        }

        var statistics = engine.GetStatistics();
        data["modelId"] = engine.ModelId;
        data["liveSequences"] = statistics.LiveSequences;
        data["maxParallelSequences"] = engine.MaxParallelSequences;
        data["idleSequences"] = statistics.IdleSequences;
        data["queuedRequests"] = statistics.QueuedRequests;
        data["kvCellsInUse"] = statistics.KvCellsInUse;
        data["contextSize"] = engine.ContextSize;
        data["completedRequests"] = statistics.CompletedRequests;
        return Task.FromResult(statistics.QueuedRequests > 0 && statistics.LiveSequences >= engine.MaxParallelSequences
            ? HealthCheckResult.Degraded(
                $"The Llama 4 model is saturated: all {engine.MaxParallelSequences} sequences are running and {statistics.QueuedRequests} requests are waiting.",
                data: data)
            : HealthCheckResult.Healthy($"The Llama 4 model {engine.ModelId} is ready.", data));
    }
}
