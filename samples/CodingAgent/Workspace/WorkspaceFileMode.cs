namespace CodingAgent.Workspace;

/// <summary>How <see cref="WorkspaceSandbox.OpenFile"/> opens a file.</summary>
internal enum WorkspaceFileMode
{
    /// <summary>An existing file, for reading.</summary>
    Read,

    /// <summary>An existing file, for reading and replacing its content.</summary>
    ReadWrite,

    /// <summary>A new or existing file, for replacing its content; missing directories on the way are created.</summary>
    CreateOrReplace,
}
