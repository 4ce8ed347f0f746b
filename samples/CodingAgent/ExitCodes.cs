using Llama4.Core;

namespace CodingAgent;

/// <summary>
/// The program's exit codes (README.md lists them) and the one-line message of each start-up failure: never a stack
/// trace, never the runtime's abort (134).
/// </summary>
internal static class ExitCodes
{
    /// <summary>The script or the interactive session finished.</summary>
    public const int Success = 0;

    /// <summary>A script turn failed.</summary>
    public const int TurnFailed = 1;

    /// <summary>Bad arguments, a bad script or a missing workspace folder.</summary>
    public const int BadArguments = 2;

    /// <summary>The <c>--model</c> file does not exist.</summary>
    public const int ModelNotFound = 3;

    /// <summary>The <c>--model</c> file is not a GGUF file.</summary>
    public const int NotGguf = 4;

    /// <summary>The <c>--model</c> file is a GGUF that the library refuses (not Llama 4, damaged, or a value llama.cpp cannot run with).</summary>
    public const int ModelRefused = 5;

    /// <summary>The workspace sandbox cannot run on this system (it needs Linux on x64 or arm64).</summary>
    public const int PlatformUnsupported = 6;

    /// <summary>The engine could not start: no native backend, or not enough memory for the context.</summary>
    public const int EngineUnavailable = 7;

    /// <summary>An unexpected error (a bug): one line with the exception type and message.</summary>
    public const int UnexpectedError = 70;

    /// <summary>Stopped with Ctrl+C.</summary>
    public const int Cancelled = 130;

    /// <summary>Gets the exit code and one-line message of a failure to load the engine, or <see langword="null"/> for any other exception.</summary>
    /// <param name="exception">What <see cref="Llama4Engine.LoadAsync"/> threw.</param>
    /// <returns>The code and the message.</returns>
    public static (int Code, string Message)? ForModelLoad(Exception exception) => exception switch
    {
        Llama4ModelValidationException { Problem: Llama4ModelProblem.FileNotFound } e => (ModelNotFound, "model file not found: " + OneLine(e.Message)),
        FileNotFoundException e => (ModelNotFound, "model file not found: " + OneLine(e.Message)),
        Llama4ModelValidationException { Problem: Llama4ModelProblem.NotGguf } e => (NotGguf, "not a GGUF file: " + OneLine(e.Message)),
        Llama4ModelValidationException e => (ModelRefused, $"model refused ({e.Problem}): {OneLine(e.Message)}"),
        Llama4BackendUnavailableException e => (EngineUnavailable, "no usable llama.cpp backend: " + OneLine(e.Message)),
        InsufficientMemoryException e => (EngineUnavailable, "not enough memory: " + OneLine(e.Message)),
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
