using System.Text;
using Llama4.Core;
using Microsoft.Extensions.Logging;

namespace Llama4.Moderation;

/// <summary>
/// Judges text with a Llama Guard model running in process on <see cref="Llama4Engine"/>, as its own model instance.
/// It builds Meta's Llama Guard 4 prompt (the configured categories, the recent conversation, the text as the last
/// <c>User</c> or <c>Agent</c> turn), formats it with <see cref="Llama4PromptFormatter"/>, constrains the answer with a
/// grammar to exactly <c>safe</c> or <c>unsafe</c> plus listed category codes, and maps the codes to
/// <see cref="ModerationCategory"/> values. An unsafe verdict blocks (Llama Guard cannot redact); scores are 1.
/// </summary>
/// <remarks>
/// The engine loads <c>llama4</c> GGUF files with experts. Meta's Llama Guard 4 12B converts to a dense <c>llama4</c>
/// file (<c>expert_count</c> 0), which the llama.cpp build of LLamaSharp 0.30 refuses; the engine reports it with
/// <see cref="Llama4ModelValidationException"/> at load. See docs/moderation.md.
/// </remarks>
public sealed class LlamaGuardModerator : IContentModerator, IAsyncDisposable
{
    private readonly Llama4Engine _engine;
    private readonly bool _ownsEngine;
    private readonly LlamaGuardCategory[] _categories;
    private readonly HashSet<ModerationSource> _sources;
    private readonly int _maxHistory;
    private readonly Llama4SamplingOptions _sampling;
    private readonly Llama4Grammar _grammar;
    private readonly int _maxTokens;

    /// <summary>Creates a moderator over an engine the caller owns (disposing the moderator leaves it loaded).</summary>
    /// <param name="engine">An engine with a Llama Guard model loaded.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults (its engine options are not used).</param>
    /// <exception cref="ArgumentException">The options are invalid; the message names each problem.</exception>
    public LlamaGuardModerator(Llama4Engine engine, LlamaGuardModeratorOptions? options = null)
        : this(engine, options ?? new LlamaGuardModeratorOptions(), ownsEngine: false)
    {
    }

    private LlamaGuardModerator(Llama4Engine engine, LlamaGuardModeratorOptions options, bool ownsEngine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ThrowIfInvalid(options);
        _engine = engine;
        _ownsEngine = ownsEngine;
        _categories = [.. options.Categories];
        _sources = [.. options.Sources];
        _maxHistory = options.MaxHistoryMessages;
        _sampling = options.Sampling;
        _grammar = LlamaGuardPrompt.Grammar(_categories);
        _maxTokens = LlamaGuardPrompt.MaxVerdictTokens(_categories);
    }

    /// <summary>Gets the engine the moderator runs on.</summary>
    public Llama4Engine Engine => _engine;

    /// <summary>Loads the Llama Guard model from <see cref="LlamaGuardModeratorOptions.Engine"/> into a new engine that the moderator owns.</summary>
    /// <param name="options">The options, with at least <c>Engine.ModelPath</c> set.</param>
    /// <param name="loggerFactory">The engine's log; optional.</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <returns>The moderator; dispose it to unload the model.</returns>
    /// <exception cref="ArgumentException">The options or engine options are invalid.</exception>
    /// <exception cref="Llama4ModelValidationException">The model file cannot be loaded.</exception>
    public static async Task<LlamaGuardModerator> LoadAsync(
        LlamaGuardModeratorOptions options,
        ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ThrowIfInvalid(options);
        var engine = await Llama4Engine.LoadAsync(options.Engine, loggerFactory, cancellationToken).ConfigureAwait(false);
        return new LlamaGuardModerator(engine, options, ownsEngine: true);
    }

    /// <inheritdoc />
    /// <exception cref="Llama4ContextOverflowException">The text alone does not fit the engine's context.</exception>
    public async ValueTask<ModerationVerdict> ModerateAsync(ModerationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_sources.Contains(request.Source) || string.IsNullOrWhiteSpace(request.Text))
        {
            return ModerationVerdict.Allowed;
        }

        var (output, finish) = await ClassifyAsync(request, cancellationToken).ConfigureAwait(false);
        if (finish != Llama4FinishReason.Stop)
        {
            throw new InvalidOperationException($"Llama Guard did not complete its verdict (finish reason {finish}).");
        }

        return LlamaGuardPrompt.Parse(output, _categories);
    }

    /// <summary>Stops and unloads the engine when the moderator loaded it; otherwise does nothing.</summary>
    /// <returns>A task that completes when the engine is released.</returns>
    public ValueTask DisposeAsync() => _ownsEngine ? _engine.DisposeAsync() : ValueTask.CompletedTask;

    /// <summary>Runs the model and returns its raw, grammar-constrained answer (for tests).</summary>
    internal async Task<(string Output, Llama4FinishReason Finish)> ClassifyAsync(ModerationRequest request, CancellationToken cancellationToken)
    {
        var agent = request.Source == ModerationSource.Assistant;
        var history = LlamaGuardPrompt.Turns(request.History, _maxHistory);
        var prompt = Format(history, request.Text, agent);

        // Drop the oldest context until the prompt and the verdict fit; the text itself is never cut.
        while (history.Count > 0 && _engine.CountTokens(prompt) + _maxTokens > _engine.SequenceContextSize)
        {
            history.RemoveAt(0);
            prompt = Format(history, request.Text, agent);
        }

        var generation = new Llama4GenerationRequest(prompt)
        {
            Grammar = _grammar,
            MaxOutputTokens = _maxTokens,
            Sampling = _sampling,
        };
        var text = new StringBuilder();
        Llama4FinishReason? finish = null;
        await foreach (var update in _engine.GenerateAsync(generation, cancellationToken).ConfigureAwait(false))
        {
            text.Append(update.Text);
            finish ??= update.FinishReason;
        }

        return (text.ToString(), finish ?? throw new InvalidOperationException("The engine ended the verdict without a finish reason."));
    }

    private Llama4Prompt Format(IReadOnlyList<(bool Agent, string Text)> history, string text, bool agent) =>
        Llama4PromptFormatter.Format([new Llama4Message(Llama4Role.User, LlamaGuardPrompt.Build(_categories, history, text, agent))]);

    private static void ThrowIfInvalid(LlamaGuardModeratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid Llama Guard moderator options: " + string.Join(" ", errors), nameof(options));
        }
    }
}
