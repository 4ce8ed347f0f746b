using CodingAgent.Workspace;

namespace CodingAgent.Tests.Workspace;

public sealed class WorkspaceSandboxTests : IDisposable
{
    private readonly TemporaryDirectory _outside = new();
    private readonly TemporaryDirectory _root = new();
    private readonly WorkspaceSandbox _sandbox;

    public WorkspaceSandboxTests()
    {
        _root.WriteFile("src/Program.cs", "class Program;");
        _outside.WriteFile("secret.txt", "outside");
        _sandbox = new WorkspaceSandbox(_root.Path);
    }

    public void Dispose()
    {
        _root.Dispose();
        _outside.Dispose();
    }

    [Theory]
    [InlineData("src/Program.cs", "src/Program.cs")]
    [InlineData("./src/./Program.cs", "src/Program.cs")]
    [InlineData("src\\Program.cs", "src/Program.cs")]
    [InlineData("src//new/File.cs", "src/new/File.cs")]
    [InlineData(".", ".")]
    [InlineData("", ".")]
    public void Normalize_PathInsideWorkspace_ReturnsCanonicalRelativePath(string requested, string expectedRelative)
    {
        Assert.Equal(expectedRelative, WorkspaceSandbox.Normalize(requested));
    }

    [Theory]
    [InlineData("..", "'..' segment")]
    [InlineData("../secret.txt", "'..' segment")]
    [InlineData("a/../../x", "'..' segment")]
    [InlineData("src/../Program.cs", "'..' segment")]
    [InlineData("..\\..\\x", "'..' segment")]
    [InlineData("/etc/passwd", "absolute path")]
    [InlineData("\\etc\\passwd", "absolute path")]
    [InlineData("C:\\Windows\\win.ini", "':'")]
    [InlineData("C:/Windows/win.ini", "':'")]
    [InlineData("\\\\server\\share\\file.txt", "network (UNC) path")]
    [InlineData("//server/share/file.txt", "network (UNC) path")]
    [InlineData("\\\\?\\C:\\file.txt", "'?'")]
    [InlineData("~/.ssh/id_rsa", "'~'")]
    [InlineData("file.txt:stream", "':'")]
    [InlineData("src/*.cs", "'*'")]
    [InlineData("src/NUL", "device name")]
    [InlineData("con.txt", "device name")]
    [InlineData("trailing./x", "ends with a dot or a space")]
    [InlineData("trailing /x", "ends with a dot or a space")]
    public void Normalize_EscapeOrInvalidPath_RefusesWithReasonAndRule(string requested, string reason)
    {
        var ex = Assert.Throws<WorkspaceAccessException>(() => WorkspaceSandbox.Normalize(requested));

        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.Contains("relative to the workspace root", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_NulCharacter_RefusesAndShowsItEscaped()
    {
        var ex = Assert.Throws<WorkspaceAccessException>(() => WorkspaceSandbox.Normalize("src/Program.cs\0.txt"));

        Assert.Contains("NUL character", ex.Message, StringComparison.Ordinal);
        Assert.Contains("\\u0000", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_ControlCharacter_Refuses()
    {
        var ex = Assert.Throws<WorkspaceAccessException>(() => WorkspaceSandbox.Normalize("src/a\nb.cs"));

        Assert.Contains("control character U+000A", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_VeryLongPath_RefusesWithTheLimit()
    {
        var path = string.Join('/', Enumerable.Repeat("abcdefghij", 40));

        var ex = Assert.Throws<WorkspaceAccessException>(() => WorkspaceSandbox.Normalize(path));

        Assert.Contains($"at most {WorkspaceSandbox.MaxPathLength} are allowed", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Message.Length < 400, "The message shortens the path.");
    }

    [Fact]
    public void Normalize_VeryLongName_RefusesWithTheLimit()
    {
        var ex = Assert.Throws<WorkspaceAccessException>(() => WorkspaceSandbox.Normalize("src/" + new string('x', 200)));

        Assert.Contains($"at most {WorkspaceSandbox.MaxSegmentLength} are allowed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenFile_FileSymlinkToOutside_Refuses()
    {
        File.CreateSymbolicLink(_root.Combine("leak.txt"), _outside.Combine("secret.txt"));

        var ex = Assert.Throws<WorkspaceAccessException>(() => _sandbox.OpenFile("leak.txt", WorkspaceFileMode.Read));

        Assert.Contains("'leak.txt' is a symbolic link, and links are never followed in the workspace", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenFileAndListDirectory_DirectorySymlinkToOutside_RefuseTheLinkAndEverythingBelowIt()
    {
        Directory.CreateSymbolicLink(_root.Combine("src", "escape"), _outside.Path);

        Assert.Throws<WorkspaceAccessException>(() => _sandbox.ListDirectory("src/escape"));
        var ex = Assert.Throws<WorkspaceAccessException>(() => _sandbox.OpenFile("src/escape/secret.txt", WorkspaceFileMode.Read));
        Assert.Contains("'src/escape' is a symbolic link", ex.Message, StringComparison.Ordinal);
        Assert.Throws<WorkspaceAccessException>(() => _sandbox.OpenFile("src/escape/new-file.txt", WorkspaceFileMode.CreateOrReplace));
        Assert.False(File.Exists(_outside.Combine("new-file.txt")));
    }

    [Fact]
    public void OpenFile_RelativeSymlinkClimbingOut_Refuses()
    {
        Directory.CreateSymbolicLink(_root.Combine("up"), "..");

        Assert.Throws<WorkspaceAccessException>(() => _sandbox.OpenFile("up/anything", WorkspaceFileMode.CreateOrReplace));
    }

    [Fact]
    public void OpenFile_SymlinkChainEndingOutside_Refuses()
    {
        File.CreateSymbolicLink(_outside.Combine("hop"), _outside.Combine("secret.txt"));
        File.CreateSymbolicLink(_root.Combine("second"), _outside.Combine("hop"));
        File.CreateSymbolicLink(_root.Combine("first"), _root.Combine("second"));

        Assert.Throws<WorkspaceAccessException>(() => _sandbox.OpenFile("first", WorkspaceFileMode.Read));
        Assert.Throws<WorkspaceAccessException>(() => _sandbox.OpenFile("second", WorkspaceFileMode.ReadWrite));
    }

    [Fact]
    public void OpenFile_DanglingSymlinkToOutside_RefusesSoAWriteCannotCreateTheTarget()
    {
        File.CreateSymbolicLink(_root.Combine("planted.txt"), _outside.Combine("does-not-exist.txt"));

        Assert.Throws<WorkspaceAccessException>(() => _sandbox.OpenFile("planted.txt", WorkspaceFileMode.CreateOrReplace));
        Assert.False(File.Exists(_outside.Combine("does-not-exist.txt")));
    }

    [Fact]
    public void OpenFile_SymlinkChainStayingInside_RefusesBecauseLinksAreNeverFollowed()
    {
        File.CreateSymbolicLink(_root.Combine("alias2"), _root.Combine("src", "Program.cs"));
        File.CreateSymbolicLink(_root.Combine("alias1"), "alias2");

        var ex = Assert.Throws<WorkspaceAccessException>(() => _sandbox.OpenFile("alias1", WorkspaceFileMode.Read));

        Assert.Contains("'alias1' is a symbolic link", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenFile_RegularFile_ReadsThroughTheCheckedHandle()
    {
        using var file = _sandbox.OpenFile("./src//Program.cs", WorkspaceFileMode.Read);

        Assert.Equal("src/Program.cs", file.RelativePath);
        Assert.False(file.Created);
        Assert.Equal("class Program;", System.Text.Encoding.UTF8.GetString(file.ReadAll(1024)));
    }

    [Fact]
    public void OpenFile_CreateInMissingDirectories_CreatesThemAndTheFile()
    {
        using (var file = _sandbox.OpenFile("docs/new/notes.md", WorkspaceFileMode.CreateOrReplace))
        {
            Assert.True(file.Created);
            file.Replace("hello"u8);
        }

        Assert.Equal("hello", File.ReadAllText(_root.Combine("docs", "new", "notes.md")));
    }

    [Fact]
    public void OpenFile_LinkedDirectoryInTheMiddle_RefusesEvenWhenItStaysInside()
    {
        Directory.CreateSymbolicLink(_root.Combine("alias"), _root.Combine("src"));

        var ex = Assert.Throws<WorkspaceAccessException>(() => _sandbox.OpenFile("alias/Program.cs", WorkspaceFileMode.Read));

        Assert.Contains("'alias' is a symbolic link", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenFile_HardLinkToOutsideFile_RefusesInEveryMode()
    {
        _root.CreateHardLink("linked.txt", _outside.Combine("secret.txt"));

        foreach (var mode in Enum.GetValues<WorkspaceFileMode>())
        {
            var ex = Assert.Throws<WorkspaceAccessException>(() => _sandbox.OpenFile("linked.txt", mode));
            Assert.Contains("'linked.txt' has 2 hard links", ex.Message, StringComparison.Ordinal);
        }

        Assert.Equal("outside", File.ReadAllText(_outside.Combine("secret.txt")));
    }

    [Fact(Timeout = 30_000)]
    public async Task OpenFile_Fifo_RefusesInEveryModeWithoutBlocking()
    {
        _root.CreateFifo("pipe");

        foreach (var mode in Enum.GetValues<WorkspaceFileMode>())
        {
            var ex = await Assert.ThrowsAsync<WorkspaceAccessException>(() => Task.Run(() => _sandbox.OpenFile("pipe", mode), TestContext.Current.CancellationToken));
            Assert.Contains("'pipe' is a FIFO (named pipe), not a regular file", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void OpenFile_Socket_Refuses()
    {
        using var socket = _root.CreateSocket("agent.sock");

        var ex = Assert.Throws<WorkspaceAccessException>(() => _sandbox.OpenFile("agent.sock", WorkspaceFileMode.Read));

        Assert.Contains("'agent.sock' is a socket", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenFile_Directory_SaysItIsADirectory()
    {
        var ex = Assert.Throws<IOException>(() => _sandbox.OpenFile("src", WorkspaceFileMode.CreateOrReplace));

        Assert.Equal("'src' is a directory; give a file path.", ex.Message);
    }

    [Fact]
    public void OpenFile_Missing_ThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => _sandbox.OpenFile("src/Missing.cs", WorkspaceFileMode.Read));
        Assert.Throws<DirectoryNotFoundException>(() => _sandbox.OpenFile("missing/Program.cs", WorkspaceFileMode.ReadWrite));
    }

    [Fact]
    public void ListDirectory_LinksAndSpecialFiles_ReportedWithTheirKindNotFollowed()
    {
        Directory.CreateSymbolicLink(_root.Combine("outside"), _outside.Path);
        _root.CreateFifo("pipe");

        var entries = _sandbox.ListDirectory(".");

        Assert.Equal(
            [new WorkspaceEntry("outside", WorkspaceEntryKind.Link), new WorkspaceEntry("pipe", WorkspaceEntryKind.Special), new WorkspaceEntry("src", WorkspaceEntryKind.Directory)],
            entries);
        Assert.Throws<WorkspaceAccessException>(() => _sandbox.ListDirectory("outside"));
    }

    [Fact]
    public void Constructor_RootGivenThroughALink_UsesTheRealRoot()
    {
        var link = _outside.Combine("workspace-link");
        Directory.CreateSymbolicLink(link, _root.Path);

        var sandbox = new WorkspaceSandbox(link);

        Assert.Equal(_sandbox.Root, sandbox.Root);
        using var file = sandbox.OpenFile("src/Program.cs", WorkspaceFileMode.Read);
        Assert.Equal("src/Program.cs", file.RelativePath);
    }

    [Fact]
    public void Constructor_MissingDirectory_ThrowsWithTheFix()
    {
        var ex = Assert.Throws<DirectoryNotFoundException>(() => new WorkspaceSandbox(_root.Combine("missing")));

        Assert.Contains("--workspace", ex.Message, StringComparison.Ordinal);
    }
}
