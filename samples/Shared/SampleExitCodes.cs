using Llama4.Core;
using Microsoft.Extensions.Options;

namespace Llama4.Samples;

/// <summary>
/// The exit codes every sample uses, and the one-line message of each failure (never a stack trace, never a native
/// abort's 134). Each sample's README lists the codes it can return.
/// </summary>
public static class SampleExitCodes
{
    /// <summary>The sample finished.</summary>
    public const int Success = 0;

    /// <summary>A script turn failed (CodingAgent).</summary>
    public const int TurnFailed = 1;

    /// <summary>Bad arguments, a bad or missing script or workspace, or standard input that is not a terminal without --script.</summary>
    public const int BadArguments = 2;

    /// <summary>The model file does not exist.</summary>
    public const int ModelNotFound = 3;

    /// <summary>The model file is not a GGUF file.</summary>
    public const int NotGguf = 4;

    /// <summary>The library refused the model file (not a Llama 4 model, or a defect that would crash llama.cpp).</summary>
    public const int ModelRefused = 5;

    /// <summary>The workspace sandbox cannot run on this system (CodingAgent: it needs Linux on x64 or arm64).</summary>
    public const int PlatformUnsupported = 6;

    /// <summary>The engine could not start: no native backend, or not enough memory for the context.</summary>
    public const int EngineUnavailable = 7;

    /// <summary>An unexpected error (a bug): one line with the exception type and message.</summary>
    public const int UnexpectedError = 70;

    /// <summary>Stopped with Ctrl+C.</summary>
    public const int Cancelled = 130;

    /// <summary>Gets the exit code and one-line message of a failure to load the engine, or <see langword="null"/> for any other exception.</summary>
    /// <param name="exception">What loading or resolving the engine threw.</param>
    /// <returns>The code and the message.</returns>
    public static (int Code, string Message)? ForModelLoad(Exception exception) => exception switch
    {
        Llama4ModelValidationException { Problem: Llama4ModelProblem.FileNotFound } e => (ModelNotFound, "model file not found: " + OneLine(e.Message)),
        FileNotFoundException e => (ModelNotFound, "model file not found: " + OneLine(e.Message)),
        Llama4ModelValidationException { Problem: Llama4ModelProblem.NotGguf } e => (NotGguf, "not a GGUF file: " + OneLine(e.Message)),
        Llama4ModelValidationException e => (ModelRefused, $"model refused ({e.Problem}): {OneLine(e.Message)}"),
        Llama4BackendUnavailableException e => (EngineUnavailable, "no usable llama.cpp backend: " + OneLine(e.Message)),
        InsufficientMemoryException e => (EngineUnavailable, "not enough memory: " + OneLine(e.Message)),
        OptionsValidationException e => (BadArguments, "invalid engine options: " + OneLine(e.Message)),
        ArgumentException e => (BadArguments, "invalid engine options: " + OneLine(e.Message)),
        _ => null,
    };

    /// <summary>Gets the one-line message of an unexpected exception.</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>The type and the message, on one line.</returns>
    public static string Unexpected(Exception exception) =>
        $"unexpected error ({exception.GetType().Name}): {OneLine(exception.Message)}";

    /// <summary>Joins the lines of a message with spaces.</summary>
    /// <param name="text">The message.</param>
    /// <returns>One line.</returns>
    public static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
