using System.Globalization;
using Llama4.Core;

namespace Llama4.GgufFuzz;

/// <summary>
/// The child side of the fuzzer: loads each file through <see cref="Llama4Engine.LoadAsync(Llama4EngineOptions, Microsoft.Extensions.Logging.ILoggerFactory?, System.Threading.CancellationToken)"/>
/// and, when it loads, runs a short free generation and a short grammar-constrained one (the grammar puts the sampler on
/// code-point boundaries, where a token that decodes to U+0000 would be accepted). Every managed exception is caught
/// and reported, so only a native crash or a hang can end the process early.
/// </summary>
public static class FuzzChild
{
    /// <summary>The prefix of the protocol lines on standard output (llama.cpp may write its own lines there).</summary>
    public const string Prefix = "@@gguf-fuzz ";

    /// <summary>The exit code of <see cref="RunOneAsync"/> for a clean load and generation.</summary>
    public const int CleanExitCode = 0;

    /// <summary>The exit code of <see cref="RunOneAsync"/> for a typed refusal.</summary>
    public const int RefusedExitCode = 10;

    /// <summary>The exit code of <see cref="RunOneAsync"/> for any other managed exception.</summary>
    public const int ManagedExceptionExitCode = 20;

    /// <summary>
    /// Serves files from <paramref name="input"/>, one line each (<c>index TAB path</c>), writing <c>start index</c>
    /// before and <c>done index outcome detail</c> after each, until the input ends.
    /// </summary>
    /// <param name="input">The driver's requests.</param>
    /// <param name="output">Where the protocol lines go.</param>
    /// <returns>The process exit code (0).</returns>
    public static async Task<int> RunBatchAsync(TextReader input, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        while (await input.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            int tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab <= 0)
            {
                continue;
            }

            string index = line[..tab];
            await output.WriteLineAsync(Prefix + "start " + index).ConfigureAwait(false);
            await output.FlushAsync().ConfigureAwait(false);
            (FuzzOutcome outcome, string detail) = await ProcessAsync(line[(tab + 1)..]).ConfigureAwait(false);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{Prefix}done {index} {outcome} {OneLine(detail)}")).ConfigureAwait(false);
            await output.FlushAsync().ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>Loads one file and returns an exit code that says what happened (see the *ExitCode constants).</summary>
    /// <param name="path">The model file.</param>
    /// <param name="output">Where the outcome is written.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunOneAsync(string path, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        (FuzzOutcome outcome, string detail) = await ProcessAsync(path).ConfigureAwait(false);
        await output.WriteLineAsync(outcome + ": " + detail).ConfigureAwait(false);
        return outcome switch
        {
            FuzzOutcome.Clean => CleanExitCode,
            FuzzOutcome.Refused => RefusedExitCode,
            _ => ManagedExceptionExitCode,
        };
    }

    /// <summary>Loads the file, generates twice, and classifies what happened.</summary>
    /// <param name="path">The model file.</param>
    /// <returns>The outcome and its detail.</returns>
    public static async Task<(FuzzOutcome Outcome, string Detail)> ProcessAsync(string path)
    {
        var options = new Llama4EngineOptions
        {
            ModelPath = path,
            Backend = Llama4Backend.Cpu,
            Threads = 1,
            ContextSize = 1024,
            MaxParallelSequences = 1,
        };
        try
        {
            var engine = await Llama4Engine.LoadAsync(options).ConfigureAwait(false);
            await using (engine.ConfigureAwait(false))
            {
                var prompt = Llama4PromptFormatter.Format([new Llama4Message(Llama4Role.User, "Hi")]);
                string free = await GenerateAsync(engine, new Llama4GenerationRequest(prompt)
                {
                    MaxOutputTokens = 4,
                    Sampling = new Llama4SamplingOptions { Seed = 1 },
                }).ConfigureAwait(false);

                // Four two-byte characters: the sampler stands on a code-point boundary at each of them, where every
                // token whose piece decodes to U+0000 passes the grammar check as an "empty" piece.
                string constrained = await GenerateAsync(engine, new Llama4GenerationRequest(prompt)
                {
                    MaxOutputTokens = 12,
                    Grammar = new Llama4Grammar("root ::= [\\u0100-\\u017F]{4}"),
                    Sampling = new Llama4SamplingOptions { Seed = 2, Temperature = 1.5f, TopK = 0, TopP = 1f, MinP = 0f },
                }).ConfigureAwait(false);
                return (FuzzOutcome.Clean, "free: " + free + "; grammar: " + constrained);
            }
        }
        catch (Llama4ModelValidationException ex)
        {
            return (FuzzOutcome.Refused, ex.Problem + ": " + ex.Message);
        }
#pragma warning disable CA1031 // The fuzzer must classify every managed exception, whatever its type.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // The first frames say where an untyped exception came from.
            string[] frames = ex.StackTrace?.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
            return (FuzzOutcome.ManagedException, ex.GetType().FullName + ": " + ex.Message + " " + string.Join(" ", frames.Take(4)));
        }
    }

    private static async Task<string> GenerateAsync(Llama4Engine engine, Llama4GenerationRequest request)
    {
        var text = new System.Text.StringBuilder();
        Llama4FinishReason? finish = null;
        int tokens = 0;
        await foreach (Llama4GenerationUpdate update in engine.GenerateAsync(request).ConfigureAwait(false))
        {
            text.Append(update.Text);
            finish = update.FinishReason ?? finish;
            tokens = update.Usage?.OutputTokens ?? tokens;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{tokens} tokens, {finish}, \"{MetadataMutations.Escape(System.Text.Encoding.UTF8.GetBytes(text.ToString()))}\"");
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Replace('\t', ' ');
}
