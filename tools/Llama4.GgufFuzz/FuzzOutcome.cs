namespace Llama4.GgufFuzz;

/// <summary>What loading one fuzzed file did.</summary>
public enum FuzzOutcome
{
    /// <summary>The engine loaded the file and both test generations finished.</summary>
    Clean = 0,

    /// <summary>The engine refused the file with a <c>Llama4ModelValidationException</c> (the detail names the problem).</summary>
    Refused = 1,

    /// <summary>Another managed exception escaped (the detail names its type): an untyped or misleading error.</summary>
    ManagedException = 2,

    /// <summary>The child process died while loading or using the file (a native crash: abort, segfault...).</summary>
    Crash = 3,

    /// <summary>The file was not done within the per-file time limit; the child was killed.</summary>
    Hang = 4,
}
