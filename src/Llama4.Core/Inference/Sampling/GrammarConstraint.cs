using LLama.Native;

namespace Llama4.Core.Inference.Sampling;

/// <summary>
/// One sequence's grammar: llama.cpp's grammar sampler (alone in a sampler chain), which knows which tokens may come
/// next and advances when a token is accepted. Checks never change its state, so candidates can be checked in any
/// number of calls. Each sequence owns its own, so sequences may be checked on different threads at once (the
/// vocabulary it reads is immutable after the model loads); one grammar must not be used by two threads at a time.
/// </summary>
internal sealed class GrammarConstraint : IDisposable
{
    private readonly SafeLLamaSamplerChainHandle _chain;

    /// <param name="model">The model whose vocabulary the grammar matches token pieces against.</param>
    /// <param name="grammar">The grammar; checked by <c>GbnfValidator</c> before (llama.cpp aborts on some invalid grammars).</param>
    public GrammarConstraint(SafeLlamaModelHandle model, Llama4Grammar grammar)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(grammar);
        Grammar = grammar;
        _chain = SafeLLamaSamplerChainHandle.Create(LLamaSamplerChainParams.Default());
        _chain.AddGrammar(model, grammar.Gbnf, grammar.Root);
    }

    public Llama4Grammar Grammar { get; }

    /// <summary>Gets how many candidates were handed to llama.cpp's grammar sampler so far (diagnostics and benchmarks).</summary>
    public long CandidatesChecked { get; private set; }

    /// <summary>Whether the grammar allows <paramref name="token"/> next (a one-candidate check).</summary>
    public bool Allows(int token, SamplingWorkspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var candidates = workspace.GrammarCandidates;
        candidates[0] = new LLamaTokenData(token, 0f, 0f);
        Apply(candidates.AsMemory(0, 1));
        return !float.IsNegativeInfinity(candidates[0].Logit);
    }

    /// <summary>
    /// Checks <paramref name="tokens"/> (any order) in one call of llama.cpp's grammar sampler and moves the allowed ones
    /// to the front, keeping their order.
    /// </summary>
    /// <returns>How many are allowed.</returns>
    public int KeepAllowed(Span<int> tokens, SamplingWorkspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (tokens.IsEmpty)
        {
            return 0;
        }

        var candidates = workspace.GrammarCandidates;
        for (var i = 0; i < tokens.Length; i++)
        {
            candidates[i] = new LLamaTokenData(tokens[i], 0f, 0f);
        }

        Apply(candidates.AsMemory(0, tokens.Length));
        var allowed = 0;
        for (var i = 0; i < tokens.Length; i++)
        {
            if (!float.IsNegativeInfinity(candidates[i].Logit))
            {
                tokens[allowed++] = (int)candidates[i].ID;
            }
        }

        return allowed;
    }

    /// <summary>Advances the grammar past <paramref name="token"/>, which it must allow (llama.cpp aborts the process otherwise).</summary>
    public void Accept(int token) => _chain.Accept(token);

    public void Dispose() => _chain.Dispose();

    private void Apply(Memory<LLamaTokenData> candidates)
    {
        CandidatesChecked += candidates.Length;
        using var pin = LLamaTokenDataArrayNative.Create(new LLamaTokenDataArray(candidates), out var native);
        _chain.Apply(ref native);
    }
}
