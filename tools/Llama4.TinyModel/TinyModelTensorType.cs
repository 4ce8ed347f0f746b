namespace Llama4.TinyModel;

/// <summary>The ggml storage type of the generated weight matrices (norms and the router stay F32).</summary>
public enum TinyModelTensorType
{
    /// <summary>IEEE half precision (ggml type 1): half the size, the usual choice.</summary>
    F16 = 0,

    /// <summary>IEEE single precision (ggml type 0).</summary>
    F32 = 1,
}
