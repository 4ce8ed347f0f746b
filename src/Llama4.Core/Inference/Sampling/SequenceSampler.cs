namespace Llama4.Core.Inference.Sampling;

/// <summary>
/// The sampler of one sequence: its chain, seeded random source, penalty window and (once a tool call or a structured
/// reply constrains it) its grammar. It replaces LLamaSharp's <c>DefaultSamplingPipeline</c> with the same
/// distribution at a fraction of the cost on a 202,048-token vocabulary:
/// <list type="number">
/// <item>the logits are read where llama.cpp left them (copied only when penalties apply, then penalised sparsely);</item>
/// <item><see cref="ChainSampler"/> draws from the chain;</item>
/// <item>with a grammar, the drawn token is checked alone; if the grammar rejects it, <see cref="ConstrainedSampler"/>
/// draws again, exactly from "grammar filter, then the chain" (llama.cpp's grammar-based rejection sampling, which
/// LLamaSharp's pipeline also does);</item>
/// <item>the token is accepted into the penalty window and the grammar.</item>
/// </list>
/// Draws of different sequences may run on different threads at once; one sequence's are never concurrent.
/// </summary>
internal sealed class SequenceSampler : IDisposable
{
    private readonly SamplingRandom _random;
    private readonly PenaltyWindow _penalties;

    public SequenceSampler(SamplingSettings settings, GrammarConstraint? grammar)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        Grammar = grammar;
        _random = new SamplingRandom(settings.Seed);
        _penalties = new PenaltyWindow(settings.PenaltiesActive ? settings.PenaltyLastTokens : 0);
    }

    public SamplingSettings Settings { get; }

    /// <summary>Gets the grammar the next tokens must follow, or null.</summary>
    public GrammarConstraint? Grammar { get; private set; }

    /// <summary>Gets how many drawn tokens the grammar rejected, so that the constrained draw ran (diagnostics and tests).</summary>
    public int Redraws { get; private set; }

    /// <summary>Gets the token drawn by the last <see cref="DrawPending"/>, or -1.</summary>
    public int Drawn { get; private set; } = -1;

    /// <summary>Gets what made the last <see cref="DrawPending"/> fail, or null.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>Constrains the tokens from now on (a tool call started); the random source and the penalty window carry on.</summary>
    public void ReplaceGrammar(GrammarConstraint grammar)
    {
        ArgumentNullException.ThrowIfNull(grammar);
        Grammar?.Dispose();
        Grammar = grammar;
    }

    /// <summary>Draws the next token from <paramref name="logits"/> and accepts it.</summary>
    /// <exception cref="Llama4GrammarException">The grammar allows no token.</exception>
    public int Sample(ReadOnlySpan<float> logits, SamplingWorkspace workspace, Func<TokenPrefixes> prefixes)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(prefixes);
        var source = logits;
        if (Settings.PenaltiesActive && _penalties.Count > 0)
        {
            var penalized = workspace.Penalized.AsSpan(0, logits.Length);
            logits.CopyTo(penalized);
            _penalties.Apply(penalized, Settings.RepeatPenalty, Settings.FrequencyPenalty, Settings.PresencePenalty);
            source = penalized;
        }

        var token = ChainSampler.Sample(source, Settings, _random.NextDouble(), workspace);
        if (Grammar is { } grammar && !grammar.Allows(token, workspace))
        {
            Redraws++;
            token = ConstrainedSampler.Sample(source, Settings, _random.NextDouble(), grammar, prefixes(), workspace);

            // llama.cpp aborts the process when a grammar accepts a token it does not allow: confirm before accepting.
            if (!grammar.Allows(token, workspace))
            {
                throw new InvalidOperationException($"The constrained sampler drew token {token}, which the grammar does not allow; the request fails instead of the process.");
            }
        }

        _penalties.Accept(token);
        Grammar?.Accept(token);
        return token;
    }

    /// <summary>Like <see cref="Sample"/>, but keeps the token (or the failure) for the loop to pick up with <see cref="TakeDrawn"/>.</summary>
    public void DrawPending(ReadOnlySpan<float> logits, SamplingWorkspace workspace, Func<TokenPrefixes> prefixes)
    {
        try
        {
            Drawn = Sample(logits, workspace, prefixes);
            Failure = null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Drawn = -1;
            Failure = ex;
        }
    }

    /// <summary>Returns the token <see cref="DrawPending"/> drew and forgets it; -1 when none is pending.</summary>
    public int TakeDrawn()
    {
        var token = Drawn;
        Drawn = -1;
        return token;
    }

    public void Dispose() => Grammar?.Dispose();
}
