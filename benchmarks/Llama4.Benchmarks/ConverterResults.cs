using Llama4.Benchmarks.Measurement;

namespace Llama4.Benchmarks;

/// <summary>Everything the converter suite measured: the timed operations and the grammars they produced.</summary>
internal sealed record ConverterResults(
    IReadOnlyList<MicroResult> Operations,
    IReadOnlyList<(string Grammar, GrammarSize Size)> Grammars,
    MicroBenchmarkSettings Settings,
    DateTimeOffset Date,
    TimeSpan Elapsed,
    double? OtherProcessesCores)
{
    public MicroResult? Operation(string name) => Operations.FirstOrDefault(o => o.Name == name);
}
