using CodingAgent.Agent;
using CodingAgent.ConsoleUi;
using CodingAgent.Workspace;
using Llama4.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console.Testing;

namespace CodingAgent.Tests.ConsoleUi;

/// <summary>
/// The approval gate on the real tiny model: a turn forces a call of a tool that needs approval
/// (ChatToolMode.RequireSpecific), the tool's schema (demo mode) offers the workspace's only file, and the test answers
/// the approval request. The model's text and argument values are random; what the gate does with them is not.
/// </summary>
public sealed class AgentTurnRunnerTests(EngineFixture fixture) : IClassFixture<EngineFixture>, IDisposable
{
    private const string Original = "original content\n";
    private readonly TemporaryDirectory _root = CreateWorkspace();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task RunAsync_RequiredReadFile_RunsTheToolAndShowsStatistics()
    {
        var (runner, runtime, console) = Create(seed: 11);
        var session = await runtime.Agent.CreateSessionAsync(TestContext.Current.CancellationToken);

        var report = await runner.RunAsync(session, "Show me the file.", WorkspaceTools.ReadFileName, _ => false, TestContext.Current.CancellationToken);

        var call = report.ToolCalls.First(c => c.Name == WorkspaceTools.ReadFileName);
        Assert.Equal("notes.txt", call.Arguments!["path"]?.ToString());
        var result = Assert.Single(report.ToolResults, r => r.CallId == call.CallId);
        // The model chooses the line range at random: the whole file, or the tool's explanation of the valid range.
        Assert.Matches(@"^(notes\.txt \(lines 1-1 of 1\):\n    1\| original content\n|'notes\.txt' has 1 lines; ask for a range within 1-1 with firstLine <= lastLine\.)$", result.Result?.ToString());
        Assert.True(report.Statistics.ModelCalls >= 2);
        Assert.True(report.Statistics.ContextTokens > runtime.RequestOverheadTokens);
        Assert.True(report.Statistics.PromptTokens > 0);
        Assert.True(report.Statistics.KvCellsInUse > 0);
        Assert.Contains("tool call: read_file", console.Output, StringComparison.Ordinal);
        Assert.Contains("memory this turn", console.Output, StringComparison.Ordinal);
        Assert.Contains("ChatToolMode.RequireSpecific", console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WriteDenied_LeavesTheFileUnchanged()
    {
        var (runner, runtime, _) = Create(seed: 3);
        var session = await runtime.Agent.CreateSessionAsync(TestContext.Current.CancellationToken);

        var report = await runner.RunAsync(session, "Rewrite the notes.", WorkspaceTools.WriteFileName, _ => false, TestContext.Current.CancellationToken);

        var first = report.Approvals[0];
        Assert.Equal((WorkspaceTools.WriteFileName, false), first);
        Assert.DoesNotContain(report.Approvals, a => a.Approved);
        Assert.Equal(Original, File.ReadAllText(_root.Combine("notes.txt")));
        Assert.Equal(["notes.txt"], Directory.EnumerateFileSystemEntries(_root.Path).Select(Path.GetFileName));
        var call = report.ToolCalls.First(c => c.Name == WorkspaceTools.WriteFileName);
        var result = Assert.Single(report.ToolResults, r => r.CallId == call.CallId);
        Assert.Contains("rejected", result.Result?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WriteApproved_WritesTheModelsContent()
    {
        var (runner, runtime, _) = Create(seed: 3);
        var session = await runtime.Agent.CreateSessionAsync(TestContext.Current.CancellationToken);

        // Approve writes only, so that the file holds exactly the last approved write.
        var report = await runner.RunAsync(
            session,
            "Rewrite the notes.",
            WorkspaceTools.WriteFileName,
            request => request.ToolCall is FunctionCallContent { Name: WorkspaceTools.WriteFileName },
            TestContext.Current.CancellationToken);

        Assert.Equal((WorkspaceTools.WriteFileName, true), report.Approvals[0]);
        var lastWrite = report.ToolCalls.Last(c => c.Name == WorkspaceTools.WriteFileName);
        var content = lastWrite.Arguments!["content"]?.ToString();
        Assert.NotNull(content);
        Assert.Equal(content, File.ReadAllText(_root.Combine("notes.txt")));
        Assert.NotEqual(Original, content);
        var result = Assert.Single(report.ToolResults, r => r.CallId == lastWrite.CallId);
        Assert.StartsWith("Replaced notes.txt", result.Result?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_BuildDenied_DoesNotRunDotnet()
    {
        var (runner, runtime, _) = Create(seed: 5);
        var session = await runtime.Agent.CreateSessionAsync(TestContext.Current.CancellationToken);

        var report = await runner.RunAsync(session, "Build it.", WorkspaceTools.RunDotnetName, _ => false, TestContext.Current.CancellationToken);

        Assert.Equal((WorkspaceTools.RunDotnetName, false), report.Approvals[0]);
        var call = report.ToolCalls.First(c => c.Name == WorkspaceTools.RunDotnetName);
        var result = Assert.Single(report.ToolResults, r => r.CallId == call.CallId);
        Assert.Contains("rejected", result.Result?.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(report.ToolResults, r => r.Result?.ToString()?.Contains("dotnet build", StringComparison.Ordinal) == true);
        Assert.Equal(["notes.txt"], Directory.EnumerateFileSystemEntries(_root.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task RunAsync_ToolArgumentsHitTheCodeInterpreterRail_ToolDoesNotRun()
    {
        // The only file is .ssh/id_rsa, so the demo schema makes the forced call's path exactly that: the rail blocks it
        // in the agent's function middleware before read_file runs.
        File.Delete(_root.Combine("notes.txt"));
        _root.WriteFile(".ssh/id_rsa", "PRIVATE KEY MATERIAL\n");
        var (runner, runtime, _) = Create(seed: 7);
        var session = await runtime.Agent.CreateSessionAsync(TestContext.Current.CancellationToken);

        var report = await runner.RunAsync(session, "Show me the key.", WorkspaceTools.ReadFileName, _ => false, TestContext.Current.CancellationToken);

        var call = report.ToolCalls.First(c => c.Name == WorkspaceTools.ReadFileName);
        Assert.Equal(".ssh/id_rsa", call.Arguments!["path"]?.ToString());
        var result = Assert.Single(report.ToolResults, r => r.CallId == call.CallId);
        Assert.Equal(new Llama4.Moderation.ModerationOptions().BlockedToolCallText, result.Result?.ToString());
        Assert.DoesNotContain(report.ToolResults, r => r.Result?.ToString()?.Contains("PRIVATE KEY", StringComparison.Ordinal) == true);
    }

    private (AgentTurnRunner Runner, CodingAgentRuntime Runtime, TestConsole Console) Create(long seed)
    {
        var settings = new CodingAgentSettings(
            MaxOutputTokens: 160,
            DemoModel: true,
            CommandTimeLimit: TimeSpan.FromSeconds(5),
            MaxCommandOutputCharacters: 2000,
            MaxToolRoundsPerRun: 3,
            Seed: seed);
        var runtime = CodingAgentRuntime.Create(fixture.Engine, new WorkspaceSandbox(_root.Path), settings, NullLoggerFactory.Instance);
        var console = new TestConsole();
        console.Profile.Width = 120;
        return (new AgentTurnRunner(console, runtime), runtime, console);
    }

    private static TemporaryDirectory CreateWorkspace()
    {
        var root = new TemporaryDirectory();
        root.WriteFile("notes.txt", Original);
        return root;
    }
}
