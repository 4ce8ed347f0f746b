using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Llama4.Moderation.Internal;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Llama4.Moderation;

/// <summary>
/// Runs an <see cref="IContentModerator"/> the way every surface needs it: with the timeout and failure policy of
/// <see cref="ModerationOptions"/>, and with every verdict audited through <see cref="ILogger"/> and the
/// <c>Llama4.Moderation</c> meter (sources and categories only, never content). The chat client middleware, the
/// Semantic Kernel filters and the Agent Framework middleware all moderate through a guard. Thread-safe.
/// </summary>
public sealed partial class ModerationGuard
{
    private readonly ILogger _logger;
    private readonly ModerationMetrics _metrics;
    private readonly VerdictCache? _cache;

    /// <summary>Creates a guard.</summary>
    /// <param name="moderator">The moderator (often a <see cref="CompositeContentModerator"/>).</param>
    /// <param name="options">The options; a copy is taken. <see langword="null"/> for the defaults.</param>
    /// <param name="loggerFactory">Where verdicts are logged; optional.</param>
    /// <param name="meterFactory">Creates the <c>Llama4.Moderation</c> meter; optional (a process-wide meter otherwise).</param>
    /// <exception cref="ArgumentException">An option is invalid; the message names each bad option.</exception>
    public ModerationGuard(
        IContentModerator moderator,
        ModerationOptions? options = null,
        ILoggerFactory? loggerFactory = null,
        IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(moderator);
        options = options?.Clone() ?? new ModerationOptions();
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid moderation options: " + string.Join(" ", errors), nameof(options));
        }

        Moderator = moderator;
        Options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ModerationGuard>();
        _metrics = ModerationMetrics.Create(meterFactory);
        _cache = options.VerdictCacheSize > 0 ? new VerdictCache(options.VerdictCacheSize) : null;
    }

    /// <summary>Gets the moderator.</summary>
    public IContentModerator Moderator { get; }

    /// <summary>Gets the options (a validated copy; do not change it).</summary>
    public ModerationOptions Options { get; }

    /// <summary>
    /// Moderates one piece of text. A moderator that throws or exceeds <see cref="ModerationOptions.Timeout"/> yields a
    /// block (fail-closed, category <see cref="ModerationCategory.ModerationFailed"/>) or an allow (fail-open).
    /// </summary>
    /// <param name="request">The text and its context.</param>
    /// <param name="cancellationToken">Cancels the check (this is not a moderator failure: the cancellation propagates).</param>
    /// <returns>The verdict.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask<ModerationVerdict> CheckAsync(ModerationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var started = Stopwatch.GetTimestamp();
        ModerationVerdict verdict;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            try
            {
                var pending = Moderator.ModerateAsync(request, timeout.Token).AsTask();
                if (Options.Timeout != System.Threading.Timeout.InfiniteTimeSpan)
                {
                    timeout.CancelAfter(Options.Timeout);

                    // WaitAsync also ends the wait for a moderator that ignores its cancellation token.
                    pending = pending.WaitAsync(Options.Timeout, cancellationToken);
                }

                verdict = await pending.ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"The moderator {Moderator.GetType().Name} returned no verdict.");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
            {
                verdict = Fail(request.Source, "timeout", ex);
            }
            catch (Exception ex)
            {
                verdict = Fail(request.Source, ex.GetType().Name, ex);
            }
        }

        Audit(request.Source, verdict, Stopwatch.GetElapsedTime(started));
        return verdict;
    }

    /// <summary>
    /// Moderates the arguments of a tool call before the tool runs: every string, number and nested value is checked
    /// on its own (source <see cref="ModerationSource.ToolArguments"/>). Redactions are written into
    /// <paramref name="arguments"/> in place (a redacted number becomes a string); on a block nothing is changed.
    /// </summary>
    /// <param name="toolName">The tool's name.</param>
    /// <param name="arguments">The arguments; updated in place on a redaction.</param>
    /// <param name="history">The conversation before the call; optional.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>
    /// Allow; Redact with the findings (its <see cref="ModerationVerdict.RedactedText"/> is the redacted arguments as
    /// JSON); or the first Block.
    /// </returns>
    public ValueTask<ModerationVerdict> CheckToolArgumentsAsync(
        string toolName,
        IDictionary<string, object?> arguments,
        IReadOnlyList<ChatMessage>? history = null,
        CancellationToken cancellationToken = default) =>
        CheckToolArgumentsAsync(toolName, arguments, history, cached: false, cancellationToken);

    /// <summary>Moderates tool arguments; with <paramref name="cached"/>, remembers the verdicts (calls re-sent in a history).</summary>
    internal async ValueTask<ModerationVerdict> CheckToolArgumentsAsync(
        string toolName,
        IDictionary<string, object?> arguments,
        IReadOnlyList<ChatMessage>? history,
        bool cached,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(toolName);
        ArgumentNullException.ThrowIfNull(arguments);
        var walk = new ArgumentWalk(this, toolName, history ?? [], cached, cancellationToken);
        var replacements = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in arguments.ToList())
        {
            var (replaced, changed) = await walk.ModerateAsync(value).ConfigureAwait(false);
            if (walk.Blocked is { } blocked)
            {
                return blocked;
            }

            if (changed)
            {
                replacements[name] = replaced;
            }
        }

        if (replacements.Count == 0)
        {
            return walk.Findings.Count == 0 ? ModerationVerdict.Allowed : ModerationVerdict.Allow(walk.Findings);
        }

        foreach (var (name, value) in replacements)
        {
            arguments[name] = value;
        }

        return ModerationVerdict.Redact(JsonSerializer.Serialize(arguments, AIJsonUtilities.DefaultOptions), walk.Findings);
    }

    /// <summary>Moderates what a tool returned before the model reads it (source <see cref="ModerationSource.ToolResult"/>).</summary>
    /// <param name="result">The result (a string, JSON or any serialisable object).</param>
    /// <param name="toolName">The tool's name; optional.</param>
    /// <param name="history">The conversation before the result; optional.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>
    /// The verdict on the result's text (a string as is, a JSON string's value, a number in invariant culture, anything
    /// else as JSON); Allow for an empty result.
    /// </returns>
    public ValueTask<ModerationVerdict> CheckToolResultAsync(
        object? result,
        string? toolName = null,
        IReadOnlyList<ChatMessage>? history = null,
        CancellationToken cancellationToken = default)
    {
        var text = RenderValue(result);
        return text.Length == 0
            ? ValueTask.FromResult(ModerationVerdict.Allowed)
            : CheckAsync(new ModerationRequest(text, ModerationSource.ToolResult) { ToolName = toolName, History = history ?? [] }, cancellationToken);
    }

    /// <summary>The text a tool argument or result is moderated as (empty for <see langword="null"/>).</summary>
    internal static string RenderValue(object? value)
    {
        switch (value)
        {
            case null:
                return string.Empty;
            case string text:
                return text;
            case JsonElement { ValueKind: JsonValueKind.String } element:
                return element.GetString() ?? string.Empty;
            case JsonElement { ValueKind: JsonValueKind.Undefined or JsonValueKind.Null }:
                return string.Empty;
            case JsonElement element:
                return element.GetRawText();
            case JsonValue node when node.TryGetValue<string>(out var nodeText):
                return nodeText;
            case JsonNode node:
                return node.ToJsonString(AIJsonUtilities.DefaultOptions);
            case IFormattable formattable when value.GetType().IsPrimitive || value is decimal:
                return formattable.ToString(null, CultureInfo.InvariantCulture);
            default:
                try
                {
                    return JsonSerializer.Serialize(value, value.GetType(), AIJsonUtilities.DefaultOptions);
                }
                catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException)
                {
                    return value.ToString() ?? string.Empty;
                }
        }
    }

    /// <summary>Checks a conversation message that is re-sent with every request, remembering the verdict.</summary>
    internal async ValueTask<ModerationVerdict> CheckCachedAsync(ModerationRequest request, CancellationToken cancellationToken)
    {
        if (_cache is null)
        {
            return await CheckAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var key = VerdictCache.KeyOf(request);
        if (_cache.TryGet(key, out var cached))
        {
            return cached;
        }

        var verdict = await CheckAsync(request, cancellationToken).ConfigureAwait(false);
        if (!verdict.Categories.Contains(ModerationCategory.ModerationFailed))
        {
            _cache.Add(key, verdict);
        }

        return verdict;
    }

    private ModerationVerdict Fail(ModerationSource source, string errorType, Exception exception)
    {
        _metrics.RecordFailure(source, errorType, Options.FailurePolicy);
        var closed = Options.FailurePolicy == ModerationFailurePolicy.FailClosed;
        LogFailure(_logger, source, errorType, Options.FailurePolicy, closed ? ModerationAction.Block : ModerationAction.Allow);
        LogFailureDetails(_logger, exception);
        return closed
            ? ModerationVerdict.Block([new ModerationFinding(ModerationCategory.ModerationFailed, 1, errorType)])
            : ModerationVerdict.Allowed;
    }

    private void Audit(ModerationSource source, ModerationVerdict verdict, TimeSpan elapsed)
    {
        _metrics.RecordCheck(source, verdict, elapsed.TotalSeconds);
        var level = verdict.Action switch
        {
            ModerationAction.Block => LogLevel.Warning,
            ModerationAction.Redact => LogLevel.Information,
            _ => LogLevel.Debug,
        };
        if (_logger.IsEnabled(level))
        {
            var categories = verdict.Categories.Count == 0 ? "none" : string.Join(",", verdict.Categories.Select(TelemetryNames.Of));
            LogVerdict(_logger, level, verdict.Action, source, categories, elapsed.TotalMilliseconds);
        }
    }

    [LoggerMessage(EventId = 1, Message = "Moderation {Action} for {Source} content; categories {Categories}; {ElapsedMilliseconds:F1} ms.")]
    private static partial void LogVerdict(ILogger logger, LogLevel level, ModerationAction action, ModerationSource source, string categories, double elapsedMilliseconds);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "The moderator failed on {Source} content ({ErrorType}); failure policy {Policy}: {Outcome}.")]
    private static partial void LogFailure(ILogger logger, ModerationSource source, string errorType, ModerationFailurePolicy policy, ModerationAction outcome);

    // The exception of a third-party moderator may quote the content: its details go to Trace only.
    [LoggerMessage(EventId = 3, Level = LogLevel.Trace, Message = "Moderator failure details.")]
    private static partial void LogFailureDetails(ILogger logger, Exception exception);

    /// <summary>Walks one call's argument values, moderating every leaf.</summary>
    private sealed class ArgumentWalk(ModerationGuard guard, string toolName, IReadOnlyList<ChatMessage> history, bool cached, CancellationToken cancellationToken)
    {
        public List<ModerationFinding> Findings { get; } = [];

        public ModerationVerdict? Blocked { get; private set; }

        public async ValueTask<(object? Value, bool Changed)> ModerateAsync(object? value)
        {
            switch (value)
            {
                case null or bool:
                    return (value, false);
                case JsonElement element:
                    return element.ValueKind switch
                    {
                        JsonValueKind.String or JsonValueKind.Number => await LeafAsync(value).ConfigureAwait(false),
                        JsonValueKind.Object or JsonValueKind.Array => await NodeAsync(JsonNode.Parse(element.GetRawText())).ConfigureAwait(false),
                        _ => (value, false),
                    };
                case JsonNode node:
                    return await NodeAsync(node).ConfigureAwait(false);
                case IDictionary<string, object?> dictionary:
                    foreach (var (key, item) in dictionary.ToList())
                    {
                        var (replaced, changed) = await ModerateAsync(item).ConfigureAwait(false);
                        if (Blocked is not null)
                        {
                            return (value, false);
                        }

                        if (changed)
                        {
                            dictionary[key] = replaced;
                        }
                    }

                    return (value, false);
                case IList<object?> list:
                    for (var i = 0; i < list.Count; i++)
                    {
                        var (replaced, changed) = await ModerateAsync(list[i]).ConfigureAwait(false);
                        if (Blocked is not null)
                        {
                            return (value, false);
                        }

                        if (changed)
                        {
                            list[i] = replaced;
                        }
                    }

                    return (value, false);
                default:
                    return await LeafAsync(value).ConfigureAwait(false);
            }
        }

        private async ValueTask<(object? Value, bool Changed)> NodeAsync(JsonNode? node)
        {
            var changedAny = await WalkNodeAsync(node).ConfigureAwait(false);
            if (node is null)
            {
                return (null, changedAny);
            }

            using var document = JsonDocument.Parse(node.ToJsonString());
            return (document.RootElement.Clone(), changedAny);
        }

        private async ValueTask<bool> WalkNodeAsync(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    var changedObject = false;
                    foreach (var (key, child) in obj.ToList())
                    {
                        if (child is JsonValue leaf)
                        {
                            var (replaced, changed) = await LeafAsync(leaf).ConfigureAwait(false);
                            if (changed)
                            {
                                obj[key] = JsonValue.Create((string)replaced!);
                                changedObject = true;
                            }
                        }
                        else
                        {
                            changedObject |= await WalkNodeAsync(child).ConfigureAwait(false);
                        }

                        if (Blocked is not null)
                        {
                            return false;
                        }
                    }

                    return changedObject;
                case JsonArray array:
                    var changedArray = false;
                    for (var i = 0; i < array.Count; i++)
                    {
                        if (array[i] is JsonValue leaf)
                        {
                            var (replaced, changed) = await LeafAsync(leaf).ConfigureAwait(false);
                            if (changed)
                            {
                                array[i] = JsonValue.Create((string)replaced!);
                                changedArray = true;
                            }
                        }
                        else
                        {
                            changedArray |= await WalkNodeAsync(array[i]).ConfigureAwait(false);
                        }

                        if (Blocked is not null)
                        {
                            return false;
                        }
                    }

                    return changedArray;
                default:
                    return false;
            }
        }

        private async ValueTask<(object? Value, bool Changed)> LeafAsync(object value)
        {
            if (value is JsonValue { } jsonValue && jsonValue.GetValueKind() is not (JsonValueKind.String or JsonValueKind.Number))
            {
                return (value, false);
            }

            var text = RenderValue(value);
            if (text.Length == 0)
            {
                return (value, false);
            }

            var request = new ModerationRequest(text, ModerationSource.ToolArguments) { ToolName = toolName, History = history };
            var verdict = cached
                ? await guard.CheckCachedAsync(request, cancellationToken).ConfigureAwait(false)
                : await guard.CheckAsync(request, cancellationToken).ConfigureAwait(false);
            Findings.AddRange(verdict.Findings);
            switch (verdict.Action)
            {
                case ModerationAction.Block:
                    Blocked = verdict;
                    return (value, false);
                case ModerationAction.Redact:
                    return (verdict.RedactedText!, true);
                default:
                    return (value, false);
            }
        }
    }
}
