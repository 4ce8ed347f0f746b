using CodingAgent.Commands;
using CodingAgent.Workspace;
using Microsoft.Extensions.AI;

namespace CodingAgent.Tests.Workspace;

public sealed class WorkspaceToolsTests : IDisposable
{
    private readonly TemporaryDirectory _root = new();
    private readonly TemporaryDirectory _outside = new();
    private readonly WorkspaceTools _tools;

    public WorkspaceToolsTests()
    {
        _root.WriteFile("src/Calculator.cs", "namespace Demo;\n// TODO: one\npublic static class Calculator\n{\n    // TODO: two\n}\n");
        _root.WriteFile("README.md", "# Demo\n");
        _outside.WriteFile("secret.txt", "TODO: outside secret\n");
        var sandbox = new WorkspaceSandbox(_root.Path);
        _tools = new WorkspaceTools(sandbox, new WorkspaceCommandRunner(sandbox.Root, TimeSpan.FromSeconds(30), 1000));
    }

    public void Dispose()
    {
        _root.Dispose();
        _outside.Dispose();
    }

    [Fact]
    public void ListFiles_Root_ListsFilesAndDirectoriesAndDoesNotFollowLinks()
    {
        Directory.CreateSymbolicLink(_root.Combine("outside"), _outside.Path);

        var listing = _tools.ListFiles(".");

        Assert.Equal("README.md\noutside (link, not followed)\nsrc/\nsrc/Calculator.cs", listing);
    }

    [Fact]
    public void ReadFile_LineRange_ReturnsNumberedLines()
    {
        var text = _tools.ReadFile("src/Calculator.cs", firstLine: 2, lastLine: 3);

        Assert.Equal("src/Calculator.cs (lines 2-3 of 6):\n    2| // TODO: one\n    3| public static class Calculator\n", text);
    }

    [Fact]
    public void ReadFile_PathOutsideWorkspace_ReturnsTheRefusalToTheModel()
    {
        var text = _tools.ReadFile("../secret.txt");

        Assert.StartsWith("Refused '../secret.txt'", text, StringComparison.Ordinal);
        Assert.DoesNotContain("outside secret", text, StringComparison.Ordinal);
    }

    [Fact]
    public void SearchText_MoreMatchesThanTheLimit_StopsWithANote()
    {
        var text = _tools.SearchText("todo", regex: false, path: ".", maxMatches: 1);

        Assert.Equal("src/Calculator.cs:2: // TODO: one\n[stopped at 1 matches; narrow the query or the path to see the rest]", text);
    }

    [Fact]
    public void SearchText_Regex_FindsMatchesAndSkipsLinkedDirectories()
    {
        Directory.CreateSymbolicLink(_root.Combine("outside"), _outside.Path);

        var text = _tools.SearchText(@"TODO:\s+\w+", regex: true);

        Assert.Equal("src/Calculator.cs:2: // TODO: one\nsrc/Calculator.cs:5: // TODO: two", text);
    }

    [Fact]
    public void SearchText_InvalidRegex_ExplainsTheError()
    {
        var text = _tools.SearchText("([unclosed", regex: true);

        Assert.Contains("is not a valid regular expression", text, StringComparison.Ordinal);
    }

    [Fact]
    public void SearchText_CatastrophicRegex_StopsAtTheMatchTimeout()
    {
        _root.WriteFile("slow.txt", new string('a', 40) + "!");

        var text = _tools.SearchText("^(a+)+$", regex: true, path: "slow.txt");

        Assert.Contains("took longer than 1 s on slow.txt:1 and the search stopped", text, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteFile_NewFileInNewDirectory_CreatesIt()
    {
        var text = _tools.WriteFile("docs/notes.md", "hello");

        Assert.Equal("Created docs/notes.md (5 characters).", text);
        Assert.Equal("hello", File.ReadAllText(_root.Combine("docs", "notes.md")));
    }

    [Fact]
    public void WriteFile_ThroughDirectoryLinkToOutside_RefusesAndWritesNothing()
    {
        Directory.CreateSymbolicLink(_root.Combine("outside"), _outside.Path);

        var text = _tools.WriteFile("outside/secret.txt", "overwritten");

        Assert.StartsWith("Refused", text, StringComparison.Ordinal);
        Assert.Equal("TODO: outside secret\n", File.ReadAllText(_outside.Combine("secret.txt")));
    }

    [Fact]
    public void PatchFile_UniqueText_ReplacesIt()
    {
        var text = _tools.PatchFile("README.md", "# Demo", "# Calculator");

        Assert.Equal("Patched README.md: replaced 6 characters with 12.", text);
        Assert.Equal("# Calculator\n", File.ReadAllText(_root.Combine("README.md")));
    }

    [Fact]
    public void PatchFile_AmbiguousText_ChangesNothing()
    {
        var before = File.ReadAllText(_root.Combine("src", "Calculator.cs"));

        var text = _tools.PatchFile("src/Calculator.cs", "TODO", "DONE");

        Assert.Contains("occurs more than once", text, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(_root.Combine("src", "Calculator.cs")));
    }

    [Fact]
    public void ReadWritePatch_HardLinkToOutsideFile_RefusedAndOutsideFileUnchanged()
    {
        _root.CreateHardLink("linked.txt", _outside.Combine("secret.txt"));

        var read = _tools.ReadFile("linked.txt");
        var write = _tools.WriteFile("linked.txt", "overwritten");
        var patch = _tools.PatchFile("linked.txt", "outside", "patched");
        var search = _tools.SearchText("outside secret");

        Assert.All([read, write, patch], text => Assert.Contains("'linked.txt' has 2 hard links", text, StringComparison.Ordinal));
        Assert.DoesNotContain("outside secret", read, StringComparison.Ordinal);
        Assert.Equal("No match for 'outside secret' under '.'.", search);
        Assert.Equal("TODO: outside secret\n", File.ReadAllText(_outside.Combine("secret.txt")));
    }

    [Fact(Timeout = 30_000)]
    public async Task ReadWritePatchSearch_Fifo_RefusedWithoutHanging()
    {
        _root.CreateFifo("src/pipe.cs");
        var cancellationToken = TestContext.Current.CancellationToken;

        // Each call on its own thread, so a blocking open would fail the test by its timeout instead of hanging the run.
        var read = await Task.Run(() => _tools.ReadFile("src/pipe.cs"), cancellationToken);
        var write = await Task.Run(() => _tools.WriteFile("src/pipe.cs", "data"), cancellationToken);
        var patch = await Task.Run(() => _tools.PatchFile("src/pipe.cs", "a", "b"), cancellationToken);
        var search = await Task.Run(() => _tools.SearchText("TODO"), cancellationToken);
        var searchPipe = await Task.Run(() => _tools.SearchText("TODO", path: "src/pipe.cs"), cancellationToken);
        var list = await Task.Run(() => _tools.ListFiles("src"), cancellationToken);

        Assert.All([read, write, patch], text => Assert.StartsWith("Refused 'src/pipe.cs': 'src/pipe.cs' is a FIFO (named pipe), not a regular file", text, StringComparison.Ordinal));
        Assert.Equal("src/Calculator.cs:2: // TODO: one\nsrc/Calculator.cs:5: // TODO: two", search);
        Assert.Equal("No match for 'TODO' under 'src/pipe.cs'.", searchPipe);
        Assert.Equal("src/Calculator.cs\nsrc/pipe.cs (special file, not opened)", list);
    }

    [Fact]
    public void WriteFile_LinkInsideWorkspace_RefusedAndTargetUnchanged()
    {
        File.CreateSymbolicLink(_root.Combine("alias.md"), _root.Combine("README.md"));

        var text = _tools.WriteFile("alias.md", "changed");

        Assert.StartsWith("Refused 'alias.md': 'alias.md' is a symbolic link", text, StringComparison.Ordinal);
        Assert.Equal("# Demo\n", File.ReadAllText(_root.Combine("README.md")));
    }

    [Fact]
    public void CreateFunctions_MutatingToolsRequireApproval()
    {
        var functions = _tools.CreateFunctions(tightenForDemoModel: false);

        Assert.Equal(WorkspaceTools.ToolNames, functions.Select(f => f.Name));
        var approval = functions.Where(f => f.GetService<ApprovalRequiredAIFunction>() is not null).Select(f => f.Name);
        Assert.Equal([WorkspaceTools.WriteFileName, WorkspaceTools.PatchFileName, WorkspaceTools.RunDotnetName], approval);
    }

    [Fact]
    public void CreateFunctions_DemoModel_PathsBecomeAnEnumOfWorkspaceEntries()
    {
        var functions = _tools.CreateFunctions(tightenForDemoModel: true);

        var read = functions.Single(f => f.Name == WorkspaceTools.ReadFileName).JsonSchema.GetProperty("properties").GetProperty("path");
        Assert.Equal(["README.md", "src/Calculator.cs"], read.GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        var list = functions.Single(f => f.Name == WorkspaceTools.ListFilesName).JsonSchema.GetProperty("properties").GetProperty("path");
        Assert.Equal([".", "src"], list.GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        var content = functions.Single(f => f.Name == WorkspaceTools.WriteFileName).JsonSchema.GetProperty("properties").GetProperty("content");
        Assert.Equal(120, content.GetProperty("maxLength").GetInt32());
        Assert.NotNull(functions.Single(f => f.Name == WorkspaceTools.WriteFileName).GetService<ApprovalRequiredAIFunction>());
    }
}
