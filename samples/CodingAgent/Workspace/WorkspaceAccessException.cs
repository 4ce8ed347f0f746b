namespace CodingAgent.Workspace;

/// <summary>
/// A path the agent asked for was refused by <see cref="WorkspaceSandbox"/>: the message says why, and what is allowed.
/// </summary>
internal sealed class WorkspaceAccessException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why the path was refused and what would be accepted.</param>
    public WorkspaceAccessException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    /// <param name="message">Why the path was refused and what would be accepted.</param>
    /// <param name="innerException">The file-system error behind the refusal.</param>
    public WorkspaceAccessException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception without a message (serialization and analyzers ask for it).</summary>
    public WorkspaceAccessException()
    {
    }
}
