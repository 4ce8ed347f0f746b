namespace Llama4.Core;

/// <summary>The native llama.cpp backend the engine asks LLamaSharp to load.</summary>
public enum Llama4Backend
{
    /// <summary>Use CUDA when a CUDA backend package and a CUDA driver are present, otherwise fall back to the CPU (logged as a warning).</summary>
    Auto,

    /// <summary>Always use the CPU backend.</summary>
    Cpu,

    /// <summary>Require CUDA; loading fails with <see cref="Llama4BackendUnavailableException"/> when it cannot be used.</summary>
    Cuda,
}
