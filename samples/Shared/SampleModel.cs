using System.Globalization;
using Llama4.Core;
using Llama4.TinyModel;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Llama4.Samples;

/// <summary>
/// The model a sample runs on: the GGUF given with <c>--model</c>, or the generated tiny demo model, whose weights are
/// random (the sample says so on screen before it loads it).
/// </summary>
public static class SampleModel
{
    /// <summary>Gets the model to load: <c>--model</c>, or the demo model (generated once, then cached on disk).</summary>
    /// <param name="arguments">The sample's command line.</param>
    public static string ResolveModelPath(SampleArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (arguments.ModelPath is { } path)
        {
            return path;
        }

        AnsiConsole.Write(new Panel(new Markup(
                "No [bold]--model[/]: using the generated tiny Llama 4 demo model.\n" +
                "Its weights are [bold red]RANDOM[/]: replies are gibberish. Everything else (the engine, the prompt format, " +
                "tool calls, grammars, KV-cache reuse, token counts) runs for real.\n" +
                "Pass [bold]--model PATH[/] to a Llama 4 Scout or Maverick GGUF for real answers."))
            .Header("[red]Demo model[/]")
            .BorderColor(Color.Red));
        return TinyModelCache.GetOrCreate(TinyModelOptions.Default);
    }

    /// <summary>
    /// Gets the vision projector to load: <c>--projector</c>; with the demo model, the generated tiny projector (random
    /// weights too); otherwise null (the engine is then text-only).
    /// </summary>
    /// <param name="arguments">The sample's command line.</param>
    public static string? ResolveProjectorPath(SampleArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return arguments.ProjectorPath ?? (arguments.IsDemo ? TinyModelCache.GetOrCreateProjector(TinyProjectorOptions.Default) : null);
    }

    /// <summary>Loads the engine on the sample's model and prints what was loaded.</summary>
    /// <param name="arguments">The sample's command line (model, projector and context size).</param>
    /// <param name="configure">Changes the sample makes to the engine options, or null.</param>
    /// <param name="loggerFactory">The logger factory, or null for none.</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    public static async Task<Llama4Engine> LoadEngineAsync(
        SampleArguments arguments,
        Action<Llama4EngineOptions>? configure = null,
        ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        var options = CreateEngineOptions(arguments);
        configure?.Invoke(options);
        var engine = await Llama4Engine.LoadAsync(options, loggerFactory, cancellationToken).ConfigureAwait(false);
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"[grey]Loaded {engine.ModelId} on {engine.ActiveBackend}: context {engine.ContextSize} tokens, {engine.MaxParallelSequences} parallel sequence(s){(engine.SupportsImages ? ", images" : string.Empty)}.[/]");
        return engine;
    }

    /// <summary>Creates engine options for the sample's model (resolving the demo model) and context size.</summary>
    /// <param name="arguments">The sample's command line.</param>
    public static Llama4EngineOptions CreateEngineOptions(SampleArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return new Llama4EngineOptions
        {
            ModelPath = ResolveModelPath(arguments),
            ProjectorPath = arguments.ProjectorPath,
            ContextSize = arguments.ContextSize,
        };
    }
}
