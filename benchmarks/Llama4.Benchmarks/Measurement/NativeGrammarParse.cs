using Llama4.Core;
using LLama;
using LLama.Native;

namespace Llama4.Benchmarks.Measurement;

/// <summary>
/// Times llama.cpp's own parse of a grammar (<c>llama_sampler_init_grammar</c>): what every constrained request pays on
/// the engine's inference loop thread, at its first sample, when LLamaSharp creates the grammar's sampler chain.
/// </summary>
internal static class NativeGrammarParse
{
    public static IReadOnlyList<MicroResult> MeasureAll(LLamaWeights weights, IReadOnlyList<(string Name, Llama4Grammar Grammar)> grammars, MicroBenchmarkSettings settings, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(grammars);
        return MicroBenchmark.MeasureAll(
            [.. grammars.Select(g => (g.Name, (Action)(() =>
            {
                using var chain = SafeLLamaSamplerChainHandle.Create(LLamaSamplerChainParams.Default());
                chain.AddGrammar(weights.NativeHandle, g.Grammar.Gbnf, g.Grammar.Root);
            })))],
            settings,
            log);
    }
}
