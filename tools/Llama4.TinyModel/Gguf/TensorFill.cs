namespace Llama4.TinyModel.Gguf;

/// <summary>How a generated tensor is filled.</summary>
internal enum TensorFill
{
    /// <summary>Every element is exactly 1 (RMS norm weights).</summary>
    Ones = 0,

    /// <summary>Independent normal(0, std) samples from the seeded generator.</summary>
    Normal = 1,
}
