namespace Llama4.Core;

/// <summary>Why an image in a request was refused, so callers can react to the kind of problem rather than to a message.</summary>
public enum Llama4ImageProblem
{
    /// <summary>The engine was loaded without a vision projector (<see cref="Llama4EngineOptions.ProjectorPath"/>).</summary>
    NoProjector = 0,

    /// <summary>The image is in a format the engine does not read (PNG, JPEG, GIF and BMP are supported).</summary>
    UnsupportedFormat = 1,

    /// <summary>The bytes start like a supported format but are damaged or truncated, or could not be decoded.</summary>
    Corrupt = 2,

    /// <summary>The image exceeds <see cref="Llama4EngineOptions.MaxImageBytes"/> or <see cref="Llama4EngineOptions.MaxImagePixels"/>.</summary>
    TooLarge = 3,

    /// <summary>The image is placed where the engine cannot use it (not in a user turn, or at the very end of the prompt).</summary>
    InvalidPlacement = 4,
}
