namespace CodingAgent.Workspace;

/// <summary>The <c>dotnet</c> commands the agent may run in the workspace.</summary>
internal enum DotnetCommand
{
    /// <summary><c>dotnet build</c>.</summary>
    Build,

    /// <summary><c>dotnet test</c>.</summary>
    Test,
}
