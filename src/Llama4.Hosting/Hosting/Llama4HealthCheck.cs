using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Polly.CircuitBreaker;

namespace Llama4.Hosting;

/// <summary>
/// Reports the hosted model. Unhealthy while it is not serving (not started, loading, failed, stopping). Degraded while
/// it is saturated: every engine sequence runs a request and at least one more waits in the engine's queue, or, with
/// <c>UseLlama4Resilience</c> in the registered pipeline, requests wait for admission or the circuit breaker is not
/// closed. Healthy otherwise. The data carries the engine's live sequences, queue and KV cells (and the admission
/// statistics when resilience is on).
/// </summary>
internal sealed class Llama4HealthCheck(Llama4ModelHost host, IServiceProvider services) : IHealthCheck
{
    /// <summary>The name the check is registered under.</summary>
    public const string Name = "llama4";

    /// <summary>The tags the check is registered with.</summary>
    public static readonly string[] Tags = ["llama4", "model"];

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Check());

    private HealthCheckResult Check()
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
            return status.State switch
            {
                Llama4ModelState.NotStarted => HealthCheckResult.Unhealthy("The Llama 4 model has not started loading: the host has not started.", data: data),
                Llama4ModelState.Loading => HealthCheckResult.Unhealthy($"The Llama 4 model '{status.ModelPath}' is loading.", data: data),
                Llama4ModelState.Failed => HealthCheckResult.Unhealthy($"The Llama 4 model '{status.ModelPath}' failed to load: {status.Failure?.Message}", status.Failure, data),
                _ => HealthCheckResult.Unhealthy("The host is stopping: the Llama 4 model no longer accepts requests.", data: data),
            };
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
        if (statistics.QueuedRequests > 0 && statistics.LiveSequences >= engine.MaxParallelSequences)
        {
            return HealthCheckResult.Degraded(
                $"The Llama 4 model is saturated: all {engine.MaxParallelSequences} sequences are running and {statistics.QueuedRequests} requests are waiting.",
                data: data);
        }

        if (services.GetService<IChatClient>()?.GetService<Llama4ResilienceStatistics>() is { } admission)
        {
            data["admissionActiveRequests"] = admission.ActiveRequests;
            data["admissionQueuedRequests"] = admission.QueuedRequests;
            data["admissionRejectedRequests"] = admission.RejectedRequests;
            data["circuitState"] = admission.CircuitState.ToString();
            if (admission.QueuedRequests > 0)
            {
                return HealthCheckResult.Degraded(
                    $"The Llama 4 model is saturated: all {admission.MaxConcurrentRequests} admission slots are busy and {admission.QueuedRequests} requests are waiting.",
                    data: data);
            }

            if (admission.CircuitState != CircuitState.Closed)
            {
                return HealthCheckResult.Degraded($"The Llama 4 circuit breaker is {admission.CircuitState} after engine failures.", data: data);
            }
        }

        return HealthCheckResult.Healthy($"The Llama 4 model {engine.ModelId} is ready.", data);
    }
}
