namespace Llama4.Core.Gguf;

/// <summary>Which kind of GGUF file a <see cref="GgufMetadataChecker"/> checks; it decides the wording of refusals.</summary>
internal enum GgufFileKind
{
    /// <summary>A Llama 4 text model, loaded by llama.cpp.</summary>
    Model = 0,

    /// <summary>A Llama 4 vision projector (<c>mmproj</c>), loaded by llama.cpp's mtmd.</summary>
    Projector = 1,
}
