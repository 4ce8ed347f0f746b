namespace Llama4.Core;

/// <summary>Why a model file was refused, so callers can react to the kind of problem rather than to a message.</summary>
public enum Llama4ModelProblem
{
    /// <summary>The path does not name an existing file (or a shard of a split model is missing).</summary>
    FileNotFound = 0,

    /// <summary>The file is not a GGUF file: its first bytes are not the magic <c>GGUF</c>.</summary>
    NotGguf = 1,

    /// <summary>The file is GGUF, but of a version (or byte order) that llama.cpp cannot read; only versions 2 and 3
    /// (little-endian) are supported.</summary>
    UnsupportedGgufVersion = 2,

    /// <summary>The file ends before its header, metadata or tensor data do: an interrupted download or copy.</summary>
    Truncated = 3,

    /// <summary>The file's structure is invalid (impossible lengths, unknown value types, misplaced tensor data).</summary>
    Corrupt = 4,

    /// <summary><c>general.architecture</c> is not <c>llama4</c>: the file is another kind of model.</summary>
    UnsupportedArchitecture = 5,

    /// <summary>A metadata key that llama.cpp requires for a <c>llama4</c> model is absent.</summary>
    MissingMetadata = 6,

    /// <summary>A metadata key has the wrong type or a value llama.cpp cannot run with (some abort the process).</summary>
    InvalidMetadata = 7,

    /// <summary>The tokenizer lacks the Llama 4 special tokens (<c>&lt;|begin_of_text|&gt;</c>, <c>&lt;|header_start|&gt;</c>,
    /// <c>&lt;|header_end|&gt;</c>, <c>&lt;|eot|&gt;</c>), so the Llama 4 chat format cannot be written.</summary>
    NotLlama4Tokenizer = 8,

    /// <summary>The file passed these checks but llama.cpp still refused it (or it could not be read at all).</summary>
    LoadFailed = 9,

    /// <summary>A tensor the file needs is missing, one it must not have is present, a tensor's shape disagrees with the
    /// widths the metadata declares, or its ggml type is one llama.cpp's kernels cannot run in that role (an integer or
    /// F64 matrix, a norm that is not F32): such files abort the process natively at load or at the first request, so
    /// they are refused first.</summary>
    InvalidTensor = 10,

    /// <summary>The vision projector does not fit the text model: its output width differs from the text model's
    /// <c>llama4.embedding_length</c>, or the text model lacks the image special tokens.</summary>
    ProjectorMismatch = 11,

    /// <summary>The tokenizer's vocabulary would abort llama.cpp: a token text appears twice in
    /// <c>tokenizer.ggml.tokens</c> (aborts at load), or a token's bytes are an overlong UTF-8 form that llama.cpp's
    /// grammar sampler reads as U+0000 (aborts at the first grammar- or JSON-constrained request).</summary>
    InvalidVocabulary = 12,
}
