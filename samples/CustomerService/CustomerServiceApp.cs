using Llama4.Samples;
using System.Globalization;
using CustomerService.Agent;
using CustomerService.Conversation;
using CustomerService.Data;
using Llama4.Core;
using Llama4.TinyModel;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace CustomerService;

/// <summary>The sample's entry point: parses the command line, loads the model, then runs the conversation from the keyboard or a script.</summary>
internal static class CustomerServiceApp
{
    /// <summary>Output tokens per model call unless --max-tokens says otherwise.</summary>
    public const int DefaultMaxOutputTokens = 512;

    /// <summary>The same for the demo model: its text is gibberish, so a short reply shows as much and runs faster.</summary>
    public const int DemoMaxOutputTokens = 96;

    /// <summary>The program's name, which starts each line it writes to the error output.</summary>
    public const string Name = "CustomerService";

    /// <summary>
    /// The program: parses the command line, loads the model and runs the conversation. A start-up failure (bad
    /// arguments or script, a missing or refused model file) is one line on <paramref name="error"/> and an exit code.
    /// </summary>
    /// <param name="args">The command line.</param>
    /// <param name="console">Where the conversation is shown (and, interactively, read).</param>
    /// <param name="error">The standard error output.</param>
    /// <param name="cancellationToken">Stops the program.</param>
    /// <returns>One of <see cref="SampleExitCodes"/>.</returns>
    public static async Task<int> MainAsync(IReadOnlyList<string> args, IAnsiConsole console, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(error);
        CustomerServiceArguments arguments;
        IReadOnlyList<ScriptCommand>? script;
        try
        {
            arguments = CustomerServiceArguments.Parse(args);
            script = arguments.ScriptPath is null ? null : ConversationScript.Load(arguments.ScriptPath);
        }
        catch (Exception e) when (e is ArgumentException or ScriptFormatException or IOException)
        {
            // A bad option prints the usage after its one-line reason.
            await error.WriteLineAsync($"{Name}: {e.Message}").ConfigureAwait(false);
            return SampleExitCodes.BadArguments;
        }

        if (script is null && !console.Profile.Capabilities.Interactive)
        {
            await error.WriteLineAsync($"{Name}: standard input is not a terminal, so the interactive console cannot read it: run in a terminal, or pass --script FILE.").ConfigureAwait(false);
            return SampleExitCodes.BadArguments;
        }

        using var loggerFactory = LoggerFactory.Create(logging => logging
            .AddSimpleConsole(o => o.SingleLine = true)
            .SetMinimumLevel(arguments.Verbose ? LogLevel.Debug : LogLevel.Warning)
            // Without --verbose: llama.cpp's load notes and the function invoker's stack traces stay out of the
            // conversation (a refused tool call is shown in its result panel).
            .AddFilter("Llama4.Core.LlamaCpp", arguments.Verbose ? LogLevel.Debug : LogLevel.Error)
            .AddFilter("Microsoft.Extensions.AI", arguments.Verbose ? LogLevel.Debug : LogLevel.Critical));
        Llama4Engine engine;
        try
        {
            (engine, arguments) = await LoadAsync(arguments, console, loggerFactory, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (SampleExitCodes.ForModelLoad(e) is { } failure)
        {
            await error.WriteLineAsync($"{Name}: {failure.Message}").ConfigureAwait(false);
            return failure.Code;
        }

        await using (engine.ConfigureAwait(false))
        {
            console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]Loaded {engine.ModelId} on {engine.ActiveBackend}, context {engine.ContextSize} tokens.[/]");
            var input = script is null ? null : new ScriptInput(script, console);
            var run = await RunWithEngineAsync(engine, arguments, input, console, loggerFactory, cancellationToken).ConfigureAwait(false);
            console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]{run.Turns} turns; the conversation holds {run.History.Count} messages.[/]");
            return SampleExitCodes.Success;
        }
    }

    // Loads --model, or generates the demo model (and then lowers the default output tokens).
    private static async Task<(Llama4Engine Engine, CustomerServiceArguments Arguments)> LoadAsync(
        CustomerServiceArguments arguments,
        IAnsiConsole console,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var modelPath = arguments.ModelPath;
        if (modelPath is null)
        {
            arguments = arguments with { MaxOutputTokens = arguments.MaxOutputTokens ?? DemoMaxOutputTokens };
            console.Write(new Panel(new Markup(
                    "No [bold]--model[/]: using the generated tiny Llama 4 demo model.\n" +
                    "Its weights are [bold red]RANDOM[/]: the replies are gibberish. The engine, prompt format, tool calls, " +
                    "moderation, approvals, memory and sessions all run for real.\n" +
                    "Pass [bold]--model PATH[/] to a Llama 4 Scout or Maverick GGUF for real answers."))
                .Header("[red]Demo model[/]")
                .BorderColor(Color.Red));
            modelPath = await console.Status().StartAsync("Generating the demo model...", _ => Task.FromResult(TinyModelCache.GetOrCreate(TinyModelOptions.Default))).ConfigureAwait(false);
        }

        var engineOptions = new Llama4EngineOptions
        {
            ModelPath = modelPath,
            ContextSize = arguments.ContextSize,
            MaxParallelSequences = 2,
        };
        var engine = await console.Status()
            .Spinner(Spinner.Known.Dots)
            .StartAsync($"Loading {Path.GetFileName(modelPath)}...", _ => Llama4Engine.LoadAsync(engineOptions, loggerFactory, cancellationToken))
            .ConfigureAwait(false);
        return (engine, arguments);
    }

    /// <summary>Runs the conversation on a loaded engine (the tests share one engine across runs this way).</summary>
    /// <param name="input">The script's input; <see langword="null"/> reads the keyboard.</param>
    public static async Task<CustomerServiceRun> RunWithEngineAsync(
        Llama4Engine engine,
        CustomerServiceArguments arguments,
        IConversationInput? input,
        IAnsiConsole console,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(arguments);
        var logger = loggerFactory.CreateLogger("CustomerService");
        var settings = new SupportAgentSettings(arguments.MaxOutputTokens ?? DefaultMaxOutputTokens);
        var store = new ConversationStore(arguments.DataDirectory);
        var resume = arguments.Resume;
        var firstStart = true;
        var resumedCount = 0;
        var turns = 0;
        while (true)
        {
            var database = SupportDatabase.Open(arguments.DataDirectory);
            var agent = await SupportAgent.CreateAsync(engine, database, settings, loggerFactory, cancellationToken).ConfigureAwait(false);
            await using (agent.ConfigureAwait(false))
            {
                var resuming = resume && store.HasSavedSession;
                var session = await store.LoadOrCreateAsync(agent.Agent, resume, cancellationToken).ConfigureAwait(false);
                var history = ConversationStore.GetHistory(session);
                if (firstStart)
                {
                    resumedCount = history.Count;
                    console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]Database {database.Path}; tools: {string.Join(", ", agent.Tools.Select(t => t.Name))}; history budget {agent.TokenBudget} tokens.[/]");
                }

                if (resuming)
                {
                    console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[bold]Resumed the saved conversation: {history.Count} messages.[/]");
                    await RestoreKvAsync(agent, store, console, firstStart, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    console.MarkupLine("[bold]New conversation.[/]");
                }

                input ??= new KeyboardInput(console, [.. agent.Tools.Select(t => t.Name)]);
                var conversation = new SupportConversation(agent, session, store, settings, console, logger);
                var restart = false;
                while (await input.NextAsync(cancellationToken).ConfigureAwait(false) is { } command)
                {
                    if (command.Kind == ScriptCommandKind.Restart)
                    {
                        console.Write(new Rule("[bold]restart: the agent, database connection and session are rebuilt from the data folder[/]"));
                        restart = true;
                        break;
                    }

                    await conversation.RunTurnAsync(command, input, cancellationToken).ConfigureAwait(false);
                    turns++;
                }

                if (!restart)
                {
                    return new CustomerServiceRun(resumedCount, turns, ConversationStore.GetHistory(conversation.Session));
                }
            }

            resume = true;
            firstStart = false;
        }
    }

    private static async Task RestoreKvAsync(SupportAgent agent, ConversationStore store, IAnsiConsole console, bool firstStart, CancellationToken cancellationToken)
    {
        if (!firstStart)
        {
            console.MarkupLine("[grey]The engine stayed loaded across this restart, so its KV cache is still warm; nothing to restore.[/]");
            return;
        }

        try
        {
            var info = await store.RestoreKvAsync(agent, cancellationToken).ConfigureAwait(false);
            if (info is null)
            {
                console.MarkupLine("[grey]No saved KV cache: the first turn re-processes the history.[/]");
            }
            else
            {
                console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]Restored the KV cache of the conversation ({info.TokenCount} tokens): the first turn decodes only what is new.[/]");
            }
        }
        catch (Llama4SessionException e)
        {
            console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[yellow]The saved KV cache was not restored ({e.Problem}): the first turn re-processes the history.[/]");
        }
    }
}
