namespace Llama4.GgufFuzz;

/// <summary>The result of one fuzzed file.</summary>
/// <param name="Index">The file's index in the run.</param>
/// <param name="Outcome">What happened.</param>
/// <param name="Detail">The refusal's problem, the exception type and message, or the exit code and the last lines of the child's error output.</param>
/// <param name="Elapsed">The time the file took (load and generations).</param>
public sealed record FuzzFileResult(int Index, FuzzOutcome Outcome, string Detail, TimeSpan Elapsed);
