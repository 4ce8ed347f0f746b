using System.Diagnostics;
using System.Globalization;
using Llama4.Benchmarks.Cli;
using Llama4.Benchmarks.Measurement;
using Llama4.Benchmarks.Workload;
using Llama4.Core;
using Llama4.Extensions.AI;
using Llama4.Hosting;
using Llama4.TinyModel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Llama4.Benchmarks;

/// <summary>
/// Latency and throughput under an open-loop load on the tiny model. A closed loop of <see cref="Capacity"/>
/// concurrent callers first measures the engine's capacity in requests per second. Then, at 1x, 2x and 4x that rate,
/// one Poisson arrival schedule per level is sent twice to the same engine: to the plain <see cref="Llama4ChatClient"/>
/// (every request waits in the engine's queue, however long it grows) and to <see cref="Llama4ResilientChatClient"/>
/// with its defaults (admission sized to the sequences, a queue as long, immediate rejection past it). Open loop:
/// arrivals do not wait for completions, as with independent users.
/// </summary>
internal static class LoadBenchmark
{
    /// <summary>The engine's sequences: the capacity that admission control is sized to.</summary>
    public const int Capacity = 4;

    /// <summary>The offered loads, as multiples of the measured capacity.</summary>
    public static readonly IReadOnlyList<double> Multiples = [1, 2, 4];

    private const string SystemPrompt = "You are the support assistant of an online shop. Answer briefly and politely.";

    public static async Task<LoadResults> RunAsync(BenchmarkOptions options, ILoggerFactory loggerFactory, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var started = Stopwatch.GetTimestamp();
        var load = new MachineLoadProbe();
        var threads = BenchmarkEngines.Threads(options);
        var maxTokens = options.MaxOutputTokens ?? (options.Quick ? 16 : 32);
        var window = options.Quick ? TimeSpan.FromSeconds(3) : TimeSpan.FromSeconds(20);
        await log.WriteLineAsync("== load: open-loop arrivals at 1x, 2x and 4x capacity, with and without admission control (tiny model)");
        var modelPath = TinyModelCache.GetOrCreate(TinyModelOptions.Default);
        await using var engine = await Llama4Engine.LoadAsync(
            new Llama4EngineOptions
            {
                ModelPath = modelPath,
                ContextSize = options.ContextSize,
                MaxParallelSequences = Capacity,
                Backend = Llama4Backend.Cpu,
                Threads = threads,
                BatchThreads = threads,
            },
            loggerFactory,
            meterFactory: null,
            cancellationToken);
        using var plain = new Llama4ChatClient(engine);

        var (capacityRate, calibrationTokens) = await CalibrateAsync(plain, maxTokens, options.Quick ? TimeSpan.FromSeconds(3) : TimeSpan.FromSeconds(10), cancellationToken);
        await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"   capacity: {capacityRate:F1} requests/s with {Capacity} concurrent callers ({calibrationTokens:F1} output tokens per request)"));

        var runs = new List<LoadRun>();
        foreach (var multiple in Multiples)
        {
            var rate = multiple * capacityRate;
            var arrivals = Schedule(rate, window, seed: (int)(multiple * 1000));
            foreach (var admission in new[] { false, true })
            {
                // A delegating client disposes its inner client: the resilient one gets a client of its own.
                using var resilient = admission ? new Llama4ResilientChatClient(new Llama4ChatClient(engine), new Llama4ResilienceOptions(), loggerFactory) : null;
                var run = await RunOpenLoopAsync(resilient ?? (IChatClient)plain, engine, multiple, admission, rate, arrivals, maxTokens, cancellationToken);
                runs.Add(run);
                await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"   {multiple}x {(admission ? "with" : "without")} admission control: {run.Completed}/{run.Requests} completed, {run.Rejected} rejected, p50 {run.Latency(50):F0} ms, p99 {run.Latency(99):F0} ms, {run.Throughput:F1} requests/s"));
            }
        }

        return new LoadResults(Capacity, maxTokens, threads, window, capacityRate, calibrationTokens, runs, DateTimeOffset.UtcNow, Stopwatch.GetElapsedTime(started), load.OtherProcessesCores());
    }

    /// <summary>Closed loop: <see cref="Capacity"/> callers, each sending its next request when the last one ends.</summary>
    private static async Task<(double RequestsPerSecond, double OutputTokens)> CalibrateAsync(IChatClient client, int maxTokens, TimeSpan duration, CancellationToken cancellationToken)
    {
        // Warm-up: the first requests pay for thread start-up and the shared prefix's first processing.
        await Task.WhenAll(Enumerable.Range(0, Capacity).Select(i => SendAsync(client, -1 - i, maxTokens, cancellationToken)));
        var completed = 0;
        var tokens = 0L;
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, Capacity).Select(async _ =>
        {
            while (Stopwatch.GetTimestamp() < end)
            {
                var outcome = await SendAsync(client, Interlocked.Increment(ref next), maxTokens, cancellationToken);
                Interlocked.Increment(ref completed);
                Interlocked.Add(ref tokens, outcome.OutputTokens);
            }
        }));
        return (completed / Stopwatch.GetElapsedTime(start).TotalSeconds, (double)tokens / completed);
    }

    /// <summary>Poisson arrivals: exponential gaps with the given mean rate, over the window.</summary>
    private static List<TimeSpan> Schedule(double rate, TimeSpan window, int seed)
    {
        var random = new Random(seed);
        var arrivals = new List<TimeSpan>();
        var at = 0.0;
        while (true)
        {
            at += -Math.Log(1 - random.NextDouble()) / rate;
            if (at >= window.TotalSeconds)
            {
                return arrivals;
            }

            arrivals.Add(TimeSpan.FromSeconds(at));
        }
    }

    private static async Task<LoadRun> RunOpenLoopAsync(
        IChatClient client,
        Llama4Engine engine,
        double multiple,
        bool admission,
        double rate,
        List<TimeSpan> arrivals,
        int maxTokens,
        CancellationToken cancellationToken)
    {
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var maxQueued = 0;
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                maxQueued = Math.Max(maxQueued, engine.GetStatistics().QueuedRequests);
                await Task.Delay(20, CancellationToken.None);
            }
        }, CancellationToken.None);

        var start = Stopwatch.GetTimestamp();
        var requests = new List<Task<LoadRequestOutcome>>(arrivals.Count);
        for (var i = 0; i < arrivals.Count; i++)
        {
            var due = start + (long)(arrivals[i].TotalSeconds * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, cancellationToken);
            }

            var index = i;
            requests.Add(Task.Run(() => MeasureAsync(client, index, due, maxTokens, cancellationToken), cancellationToken));
        }

        var outcomes = await Task.WhenAll(requests);
        var elapsed = Stopwatch.GetElapsedTime(start);
        await sampling.CancelAsync();
        await sampler;
        return new LoadRun(multiple, admission, rate, outcomes, elapsed, maxQueued);
    }

    private static async Task<LoadRequestOutcome> MeasureAsync(IChatClient client, int index, long scheduled, int maxTokens, CancellationToken cancellationToken)
    {
        try
        {
            var (firstToken, tokens) = await StreamAsync(client, index, maxTokens, cancellationToken);
            return new LoadRequestOutcome(LoadOutcomeKind.Completed, Stopwatch.GetElapsedTime(scheduled), Stopwatch.GetElapsedTime(scheduled, firstToken), tokens);
        }
        catch (Llama4AdmissionRejectedException)
        {
            return new LoadRequestOutcome(LoadOutcomeKind.Rejected, Stopwatch.GetElapsedTime(scheduled), TimeSpan.Zero, 0);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new LoadRequestOutcome(LoadOutcomeKind.Failed, Stopwatch.GetElapsedTime(scheduled), TimeSpan.Zero, 0);
        }
    }

    private static async Task<LoadRequestOutcome> SendAsync(IChatClient client, int index, int maxTokens, CancellationToken cancellationToken)
    {
        var (_, tokens) = await StreamAsync(client, index, maxTokens, cancellationToken);
        return new LoadRequestOutcome(LoadOutcomeKind.Completed, TimeSpan.Zero, TimeSpan.Zero, tokens);
    }

    private static async Task<(long FirstTokenAt, int OutputTokens)> StreamAsync(IChatClient client, int index, int maxTokens, CancellationToken cancellationToken)
    {
        List<ChatMessage> messages =
        [
            new(ChatRole.System, SystemPrompt),
            new(ChatRole.User, string.Create(CultureInfo.InvariantCulture, $"Customer {index} asks: where is my order, and when will it arrive?")),
        ];
        var options = new ChatOptions { MaxOutputTokens = maxTokens, Seed = index, Temperature = 0.8f };
        var firstToken = 0L;
        var tokens = 0;
        await foreach (var update in client.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            if (firstToken == 0 && !string.IsNullOrEmpty(update.Text))
            {
                firstToken = Stopwatch.GetTimestamp();
            }

            foreach (var usage in update.Contents.OfType<UsageContent>())
            {
                tokens = (int)(usage.Details.OutputTokenCount ?? 0);
            }
        }

        return (firstToken == 0 ? Stopwatch.GetTimestamp() : firstToken, tokens);
    }
}
