namespace Llama4.Core;

/// <summary>Why saving or restoring a session failed, so callers can react to the kind of problem rather than to a message.</summary>
public enum Llama4SessionProblem
{
    /// <summary>No cached sequence holds the conversation to save (it never ran on this engine, or it was evicted).</summary>
    NotCached = 0,

    /// <summary>The data is not a Llama 4 session file.</summary>
    NotASessionFile = 1,

    /// <summary>The session file was written by another format version.</summary>
    UnsupportedVersion = 2,

    /// <summary>The session file is truncated or its checksum does not match: it was damaged.</summary>
    Corrupt = 3,

    /// <summary>The session was saved from another model file.</summary>
    ModelMismatch = 4,

    /// <summary>The session was saved by an engine with another KV cache configuration or library version.</summary>
    ConfigurationMismatch = 5,

    /// <summary>The session holds more tokens than one sequence of this engine can.</summary>
    DoesNotFit = 6,

    /// <summary>llama.cpp refused the saved state, or its cache positions did not match the saved tokens afterwards.</summary>
    RestoreFailed = 7,
}
