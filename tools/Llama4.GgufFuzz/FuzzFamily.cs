namespace Llama4.GgufFuzz;

/// <summary>The kinds of corruption the fuzzer applies to the base model.</summary>
public enum FuzzFamily
{
    /// <summary>Bytes of the fixed header: magic, version, tensor and key counts.</summary>
    Header = 0,

    /// <summary>One to four random bit flips anywhere in the metadata and tensor infos (one-bit rot, as on a bad disk).</summary>
    BitFlip = 1,

    /// <summary>A metadata key llama.cpp reads for a llama4 model: removed, zero, huge, negative, another type, another string.</summary>
    Key = 2,

    /// <summary>The tokenizer: duplicate tokens, overlong UTF-8, NUL bytes, empty tokens, huge lengths, token types, merges, special ids.</summary>
    Tokenizer = 3,

    /// <summary>A tensor's ggml type (any id, known or not; the data is rebuilt for the new size).</summary>
    TensorType = 4,

    /// <summary>A tensor's shape or name (a dimension changed, dimensions added or dropped, renamed, removed, duplicated).</summary>
    TensorShape = 5,

    /// <summary>The file cut short.</summary>
    Truncation = 6,
}
