namespace Llama4.Core;

/// <summary>
/// Names of the engine's <see cref="System.Diagnostics.Metrics.Meter"/>, <see cref="System.Diagnostics.ActivitySource"/>,
/// instruments and attributes (stable: dashboards rely on them). They describe the engine (server) side of a request and
/// complement the client-side telemetry of Microsoft.Extensions.AI's <c>UseOpenTelemetry()</c>. Attributes carry model
/// names, operation names, token types and error types only, never prompt or output text. See <c>docs/telemetry.md</c>.
/// </summary>
public static class Llama4Telemetry
{
    /// <summary>The meter name (pass it to OpenTelemetry's <c>AddMeter</c>).</summary>
    public const string MeterName = "Llama4.Engine";

    /// <summary>The activity source name (pass it to OpenTelemetry's <c>AddSource</c>).</summary>
    public const string ActivitySourceName = "Llama4.Engine";

    /// <summary>The value of <see cref="ProviderNameAttribute"/>: the engine runs on llama.cpp.</summary>
    public const string ProviderName = "llama.cpp";

    /// <summary>The value of <see cref="OperationNameAttribute"/>: every engine request is a chat completion.</summary>
    public const string ChatOperationName = "chat";

    /// <summary>
    /// Histogram of request durations (unit <c>s</c>), from submission to the final update or the failure, one per request
    /// (cancelled and failed ones included, with <see cref="ErrorTypeAttribute"/>).
    /// </summary>
    public const string RequestDurationInstrument = "gen_ai.server.request.duration";

    /// <summary>Histogram of times to first token (unit <c>s</c>), queue wait included, one per successful request that produced a token.</summary>
    public const string TimeToFirstTokenInstrument = "gen_ai.server.time_to_first_token";

    /// <summary>
    /// Histogram of the mean time per output token after the first (unit <c>s</c>), one per successful request with at
    /// least two output tokens. Its inverse is the request's decode speed in tokens per second.
    /// </summary>
    public const string TimePerOutputTokenInstrument = "gen_ai.server.time_per_output_token";

    /// <summary>Histogram of the time requests wait in the queue before a sequence takes them (unit <c>s</c>), one per admitted request.</summary>
    public const string QueueTimeInstrument = "llama4.request.queue_time";

    /// <summary>
    /// Counter of tokens (unit <c>{token}</c>) of admitted requests, tagged with <see cref="TokenTypeAttribute"/>
    /// (<c>input</c>: the prompt; <c>output</c>: generated tokens). Its rate is the engine's throughput in tokens per second.
    /// </summary>
    public const string TokensInstrument = "llama4.tokens";

    /// <summary>Counter of prompt tokens reused from the KV cache instead of being decoded (unit <c>{token}</c>).</summary>
    public const string PromptTokensReusedInstrument = "llama4.prompt_tokens.reused";

    /// <summary>Counter of prompt tokens decoded (unit <c>{token}</c>): the prompt minus what the KV cache held.</summary>
    public const string PromptTokensProcessedInstrument = "llama4.prompt_tokens.processed";

    /// <summary>Observable gauge of requests waiting for a sequence (unit <c>{request}</c>).</summary>
    public const string QueueLengthInstrument = "llama4.queue.length";

    /// <summary>Observable gauge of sequences generating a reply (unit <c>{sequence}</c>).</summary>
    public const string LiveSequencesInstrument = "llama4.sequences.live";

    /// <summary>Observable gauge of finished sequences kept in the KV cache for reuse (unit <c>{sequence}</c>).</summary>
    public const string IdleSequencesInstrument = "llama4.sequences.idle";

    /// <summary>Observable gauge of KV cells in use, output reserved by running requests included (unit <c>{cell}</c>).</summary>
    public const string KvCellsInUseInstrument = "llama4.kv_cache.cells_used";

    /// <summary>Attribute: the operation, always <see cref="ChatOperationName"/>.</summary>
    public const string OperationNameAttribute = "gen_ai.operation.name";

    /// <summary>Attribute: the provider, always <see cref="ProviderName"/>.</summary>
    public const string ProviderNameAttribute = "gen_ai.provider.name";

    /// <summary>Attribute: the engine's model id.</summary>
    public const string RequestModelAttribute = "gen_ai.request.model";

    /// <summary>Attribute on <see cref="TokensInstrument"/>: <c>input</c> or <c>output</c>.</summary>
    public const string TokenTypeAttribute = "gen_ai.token.type";

    /// <summary>Attribute: the full type name of the exception that ended a request (<c>System.OperationCanceledException</c> for every kind of cancellation).</summary>
    public const string ErrorTypeAttribute = "error.type";

    /// <summary>
    /// Span attribute of the OpenTelemetry GenAI conventions: input tokens served from the provider's cache (here the
    /// prompt tokens reused from the KV cache).
    /// </summary>
    public const string CacheReadInputTokensAttribute = "gen_ai.usage.cache_read.input_tokens";

    /// <summary>Span attribute: prompt tokens reused from the KV cache (the same value as <see cref="CacheReadInputTokensAttribute"/>).</summary>
    public const string ReusedInputTokensAttribute = "llama4.usage.reused_input_tokens";

    /// <summary>Span event: the request left the queue and took a sequence (attribute <c>llama4.queue_time_s</c>).</summary>
    public const string AdmittedEvent = "llama4.admitted";

    /// <summary>Span event: the first output token was sampled, so the prompt is processed (attribute <c>llama4.prompt_time_s</c>).</summary>
    public const string FirstTokenEvent = "llama4.first_token";
}
