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
    public void Resolve_PathInsideWorkspace_ReturnsPathUnderRoot(string requested, string expectedRelative)
    {
        var resolved = _sandbox.Resolve(requested);

        Assert.True(_sandbox.IsInsideRoot(resolved));
        Assert.Equal(expectedRelative, _sandbox.ToRelative(resolved));
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
    public void Resolve_EscapeOrInvalidPath_RefusesWithReasonAndRule(string requested, string reason)
    {
        var ex = Assert.Throws<WorkspaceAccessException>(() => _sandbox.Resolve(requested));

        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.Contains("relative to the workspace root", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_NulCharacter_RefusesAndShowsItEscaped()
    {
        var ex = Assert.Throws<WorkspaceAccessException>(() => _sandbox.Resolve("src/Program.cs\0.txt"));

        Assert.Contains("NUL character", ex.Message, StringComparison.Ordinal);
        Assert.Contains("\\u0000", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_ControlCharacter_Refuses()
    {
        var ex = Assert.Throws<WorkspaceAccessException>(() => _sandbox.Resolve("src/a\nb.cs"));

        Assert.Contains("control character U+000A", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_VeryLongPath_RefusesWithTheLimit()
    {
        var path = string.Join('/', Enumerable.Repeat("abcdefghij", 40));

        var ex = Assert.Throws<WorkspaceAccessException>(() => _sandbox.Resolve(path));

        Assert.Contains($"at most {WorkspaceSandbox.MaxPathLength} are allowed", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Message.Length < 400, "The message shortens the path.");
    }

    [Fact]
    public void Resolve_VeryLongName_RefusesWithTheLimit()
    {
        var ex = Assert.Throws<WorkspaceAccessException>(() => _sandbox.Resolve("src/" + new string('x', 200)));

        Assert.Contains($"at most {WorkspaceSandbox.MaxSegmentLength} are allowed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_FileSymlinkToOutside_Refuses()
    {
        File.CreateSymbolicLink(_root.Combine("leak.txt"), _outside.Combine("secret.txt"));

        var ex = Assert.Throws<WorkspaceAccessException>(() => _sandbox.Resolve("leak.txt"));

        Assert.Contains("'leak.txt' is a symbolic link or junction that points outside the workspace", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_DirectorySymlinkToOutside_RefusesTheLinkAndEverythingBelowIt()
    {
        Directory.CreateSymbolicLink(_root.Combine("src", "escape"), _outside.Path);

        Assert.Throws<WorkspaceAccessException>(() => _sandbox.Resolve("src/escape"));
        var ex = Assert.Throws<WorkspaceAccessException>(() => _sandbox.Resolve("src/escape/secret.txt"));
        Assert.Contains("'src/escape' is a symbolic link", ex.Message, StringComparison.Ordinal);
        Assert.Throws<WorkspaceAccessException>(() => _sandbox.Resolve("src/escape/new-file.txt"));
    }

    [Fact]
    public void Resolve_RelativeSymlinkClimbingOut_Refuses()
    {
        Directory.CreateSymbolicLink(_root.Combine("up"), "..");

        Assert.Throws<WorkspaceAccessException>(() => _sandbox.Resolve("up/anything"));
    }

    [Fact]
    public void Resolve_SymlinkChainEndingOutside_Refuses()
    {
        File.CreateSymbolicLink(_outside.Combine("hop"), _outside.Combine("secret.txt"));
        File.CreateSymbolicLink(_root.Combine("second"), _outside.Combine("hop"));
        File.CreateSymbolicLink(_root.Combine("first"), _root.Combine("second"));

        Assert.Throws<WorkspaceAccessException>(() => _sandbox.Resolve("first"));
        Assert.Throws<WorkspaceAccessException>(() => _sandbox.Resolve("second"));
    }

    [Fact]
    public void Resolve_DanglingSymlinkToOutside_RefusesSoAWriteCannotCreateTheTarget()
    {
        File.CreateSymbolicLink(_root.Combine("planted.txt"), _outside.Combine("does-not-exist.txt"));

        Assert.Throws<WorkspaceAccessException>(() => _sandbox.Resolve("planted.txt"));
    }

    [Fact]
    public void Resolve_SymlinkChainStayingInside_ResolvesToTheTarget()
    {
        File.CreateSymbolicLink(_root.Combine("alias2"), _root.Combine("src", "Program.cs"));
        File.CreateSymbolicLink(_root.Combine("alias1"), "alias2");

        var resolved = _sandbox.Resolve("alias1");

        Assert.Equal("src/Program.cs", _sandbox.ToRelative(resolved));
    }

    [Fact]
    public void Constructor_RootGivenThroughALink_UsesTheRealRoot()
    {
        var link = _outside.Combine("workspace-link");
        Directory.CreateSymbolicLink(link, _root.Path);

        var sandbox = new WorkspaceSandbox(link);

        Assert.Equal(_sandbox.Root, sandbox.Root);
        Assert.Equal("src/Program.cs", sandbox.ToRelative(sandbox.Resolve("src/Program.cs")));
    }

    [Fact]
    public void Constructor_MissingDirectory_ThrowsWithTheFix()
    {
        var ex = Assert.Throws<DirectoryNotFoundException>(() => new WorkspaceSandbox(_root.Combine("missing")));

        Assert.Contains("--workspace", ex.Message, StringComparison.Ordinal);
    }
}
