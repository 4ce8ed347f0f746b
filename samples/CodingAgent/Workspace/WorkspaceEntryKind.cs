namespace CodingAgent.Workspace;

/// <summary>What a directory entry of the workspace is, as seen without following links.</summary>
internal enum WorkspaceEntryKind
{
    /// <summary>A regular file.</summary>
    File,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A symbolic link (never followed).</summary>
    Link,

    /// <summary>A FIFO, socket or device (never opened).</summary>
    Special,
}
