namespace CodingAgent.Workspace;

/// <summary>One entry of a workspace directory, from <see cref="WorkspaceSandbox.ListDirectory"/>.</summary>
/// <param name="RelativePath">The path from the workspace root, with <c>/</c> separators.</param>
/// <param name="Kind">What the entry is (links are reported, not followed).</param>
internal sealed record WorkspaceEntry(string RelativePath, WorkspaceEntryKind Kind);
