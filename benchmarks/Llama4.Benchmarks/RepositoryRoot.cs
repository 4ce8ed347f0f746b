namespace Llama4.Benchmarks;

/// <summary>Finds the repository root (the folder holding the solution) from the current directory upwards.</summary>
internal static class RepositoryRoot
{
    private const string SolutionFile = "Llama4.SemanticKernel.sln";

    public static string Find()
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
            {
                return directory.FullName;
            }
        }

        return Environment.CurrentDirectory;
    }
}
