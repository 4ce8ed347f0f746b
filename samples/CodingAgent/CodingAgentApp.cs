using Llama4.Samples;
using CodingAgent.Agent;
using CodingAgent.ConsoleUi;
using CodingAgent.Scripting;
using CodingAgent.Workspace;
using Llama4.Core;
using Llama4.TinyModel;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace CodingAgent;

/// <summary>The program: arguments, workspace, model loading, then the interactive console or a script.</summary>
internal static class CodingAgentApp
{
    /// <summary>Default tokens per model call with a real model.</summary>
    public const int DefaultMaxOutputTokens = 2048;

    /// <summary>
    /// Default tokens per model call with the demo model: room for a forced call with its (tightened) arguments, while
    /// its random text stays short.
    /// </summary>
    public const int DefaultDemoMaxOutputTokens = 256;

    /// <summary>The most model-tool round trips in one agent run.</summary>
    public const int MaxToolRoundsPerRun = 6;

    /// <summary>The program's name, which starts each line it writes to the error output.</summary>
    public const string Name = "CodingAgent";

    /// <summary>Runs the program.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="console">Where everything is shown (and, interactively, read).</param>
    /// <param name="error">Where a start-up failure is written, as one line (the standard error output).</param>
    /// <param name="loggerFactory">Logging for the engine and the pipeline.</param>
    /// <param name="cancellationToken">Stops the program.</param>
    /// <returns>One of <see cref="SampleExitCodes"/>.</returns>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, IAnsiConsole console, TextWriter error, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        CodingAgentArguments arguments;
        IReadOnlyList<ScriptTurn>? script;
        try
        {
            arguments = CodingAgentArguments.Parse(args);
            if (arguments.ShowHelp)
            {
                console.WriteLine(CodingAgentArguments.Usage);
                return SampleExitCodes.Success;
            }

            script = arguments.ScriptPath is null ? null : AgentScript.Parse(File.ReadAllLines(arguments.ScriptPath), WorkspaceTools.ToolNames);
            if (script is null && !console.Profile.Capabilities.Interactive)
            {
                console.MarkupLine("[red]The console is not interactive (input or output is redirected): pass --script FILE to run without prompts.[/]");
                return SampleExitCodes.BadArguments;
            }
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or IOException)
        {
            console.MarkupLineInterpolated($"[red]{ex.Message}[/]");
            return SampleExitCodes.BadArguments;
        }

        WorkspaceSandbox sandbox;
        try
        {
            sandbox = new WorkspaceSandbox(arguments.WorkspacePath ?? DemoWorkspace.CreateCopy());
        }
        catch (DirectoryNotFoundException ex)
        {
            await error.WriteLineAsync($"{Name}: {SampleExitCodes.OneLine(ex.Message)}").ConfigureAwait(false);
            return SampleExitCodes.BadArguments;
        }
        catch (PlatformNotSupportedException ex)
        {
            await error.WriteLineAsync($"{Name}: {SampleExitCodes.OneLine(ex.Message)}").ConfigureAwait(false);
            return SampleExitCodes.PlatformUnsupported;
        }

        var demoModel = arguments.ModelPath is null;
        if (demoModel)
        {
            console.Write(new Panel(new Markup(
                    "No [bold]--model[/]: using the generated tiny Llama 4 demo model. Its weights are [bold red]RANDOM[/], so its text is gibberish " +
                    "and it rarely decides to call a tool by itself.\n" +
                    "Everything else is real: the engine, the prompt format, tool calling, approvals, moderation and memory. " +
                    "Script turns written [bold]user[[TOOL]]:[/] force a call of TOOL with ChatToolMode.RequireSpecific, so the tool really runs; " +
                    "the model writes the arguments under the tool's schema grammar (with the demo model, paths are chosen from the workspace's files " +
                    "and text arguments are short).\nPass --model PATH to a Llama 4 Scout or Maverick GGUF for a working agent."))
                .Header("demo model")
                .BorderColor(Color.Red));
        }

        var engineOptions = new Llama4EngineOptions
        {
            ModelPath = arguments.ModelPath ?? string.Empty,
            ContextSize = arguments.ContextSize,
            MaxParallelSequences = 1,
        };
        Llama4Engine engine;
        try
        {
            engine = await console.Status().Spinner(Spinner.Known.Dots).StartAsync(
                demoModel ? "Generating and loading the demo model..." : $"Loading {arguments.ModelPath}...",
                async _ =>
                {
                    if (demoModel)
                    {
                        engineOptions.ModelPath = TinyModelCache.GetOrCreate(TinyModelOptions.Default);
                    }

                    return await Llama4Engine.LoadAsync(engineOptions, loggerFactory, cancellationToken).ConfigureAwait(false);
                }).ConfigureAwait(false);
        }
        catch (Exception ex) when (SampleExitCodes.ForModelLoad(ex) is { } failure)
        {
            await error.WriteLineAsync($"{Name}: {failure.Message}").ConfigureAwait(false);
            return failure.Code;
        }

        await using (engine.ConfigureAwait(false))
        {
            var settings = new CodingAgentSettings(
                arguments.MaxOutputTokens ?? (demoModel ? DefaultDemoMaxOutputTokens : DefaultMaxOutputTokens),
                demoModel,
                arguments.CommandTimeLimit,
                MaxCommandOutputCharacters: 8000,
                MaxToolRoundsPerRun,
                arguments.Seed);
            CodingAgentRuntime runtime;
            try
            {
                runtime = CodingAgentRuntime.Create(engine, sandbox, settings, loggerFactory);
            }
            catch (ArgumentException ex)
            {
                console.MarkupLineInterpolated($"[red]{ex.Message}[/]");
                return SampleExitCodes.BadArguments;
            }

            ShowSetup(console, runtime, sandbox);
            var session = await runtime.Agent.CreateSessionAsync(cancellationToken).ConfigureAwait(false);
            var runner = new AgentTurnRunner(console, runtime);
            return script is null
                ? await RunInteractiveAsync(console, runner, session, cancellationToken).ConfigureAwait(false)
                : await RunScriptAsync(console, runner, session, script, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<int> RunScriptAsync(IAnsiConsole console, AgentTurnRunner runner, AgentSession session, IReadOnlyList<ScriptTurn> script, CancellationToken cancellationToken)
    {
        foreach (var turn in script)
        {
            var answers = new Queue<bool>(turn.Approvals);
            try
            {
                await runner.RunAsync(
                    session,
                    turn.Text,
                    turn.RequiredTool,
                    request =>
                    {
                        if (answers.TryDequeue(out var approved))
                        {
                            console.MarkupLineInterpolated($"[grey](script line {turn.LineNumber}: {(approved ? "approve" : "deny")})[/]");
                            return approved;
                        }

                        console.MarkupLineInterpolated($"[grey](script line {turn.LineNumber}: no approve/deny line left for this request: denied)[/]");
                        return false;
                    },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                console.MarkupLineInterpolated($"[red]Script line {turn.LineNumber} failed: {ex.GetType().Name}: {ex.Message}[/]");
                return SampleExitCodes.TurnFailed;
            }

            if (answers.Count > 0)
            {
                console.MarkupLineInterpolated($"[yellow]Script line {turn.LineNumber}: {answers.Count} approve/deny line(s) were not needed: the model asked for fewer approvals.[/]");
            }
        }

        console.MarkupLine("[green]Script finished.[/]");
        return SampleExitCodes.Success;
    }

    private static async Task<int> RunInteractiveAsync(IAnsiConsole console, AgentTurnRunner runner, AgentSession session, CancellationToken cancellationToken)
    {
        console.MarkupLine("Type a request. [bold]/require TOOL TEXT[/] forces a call of TOOL; [bold]/exit[/] or an empty line quits.");
        while (!cancellationToken.IsCancellationRequested)
        {
            var line = await console.PromptAsync(new TextPrompt<string>("[bold blue]you>[/]").AllowEmpty(), cancellationToken).ConfigureAwait(false);
            if (string.IsNullOrWhiteSpace(line) || line.Trim() == "/exit")
            {
                return SampleExitCodes.Success;
            }

            string? requiredTool = null;
            var text = line.Trim();
            if (text.StartsWith("/require ", StringComparison.Ordinal))
            {
                var parts = text["/require ".Length..].Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length < 2 || !WorkspaceTools.ToolNames.Contains(parts[0]))
                {
                    console.MarkupLineInterpolated($"[red]Use /require TOOL TEXT with one of: {string.Join(", ", WorkspaceTools.ToolNames)}.[/]");
                    continue;
                }

                requiredTool = parts[0];
                text = parts[1];
            }

            try
            {
                await runner.RunAsync(
                    session,
                    text,
                    requiredTool,
                    request => console.Prompt(new ConfirmationPrompt("Approve this call?") { DefaultValue = false }),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                console.MarkupLineInterpolated($"[red]The turn failed: {ex.GetType().Name}: {ex.Message}[/]");
            }
        }

        return SampleExitCodes.Success;
    }

    private static void ShowSetup(IAnsiConsole console, CodingAgentRuntime runtime, WorkspaceSandbox sandbox)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("model", $"{runtime.Engine.ModelId} on {runtime.Engine.ActiveBackend}");
        grid.AddRow("context", $"{runtime.Engine.ContextSize:N0} tokens; history budget {runtime.HistoryTokenBudget:N0} (Llama4TruncatingChatReducer), instructions and tools {runtime.RequestOverheadTokens:N0}");
        grid.AddRow("workspace", sandbox.Root);
        grid.AddRow("tools", string.Join(", ", runtime.Tools.Select(t => t.GetService<ApprovalRequiredAIFunction>() is null ? t.Name : t.Name + " (approval)")));
        grid.AddRow("guards", "code-interpreter abuse rail on tool arguments; resilience (timeouts, retry before the first token)");
        console.Write(new Panel(grid).Header("coding agent").BorderColor(Color.Blue));
    }
}
