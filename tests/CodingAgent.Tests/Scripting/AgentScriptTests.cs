using CodingAgent.Scripting;
using CodingAgent.Workspace;

namespace CodingAgent.Tests.Scripting;

public sealed class AgentScriptTests
{
    [Fact]
    public void Parse_AllLineForms_BuildsTurnsWithTheirAnswers()
    {
        string[] lines =
        [
            "# comment",
            "",
            "user: What is here?",
            "user[write_file]: Write it.",
            "approve",
            "deny",
            "  user[run_dotnet] : Build.  ",
        ];

        var turns = AgentScript.Parse(lines, WorkspaceTools.ToolNames);

        Assert.Equal(3, turns.Count);
        Assert.Equal(new ScriptTurn(3, "What is here?", null, []), turns[0] with { Approvals = [] });
        Assert.Empty(turns[0].Approvals);
        Assert.Equal("write_file", turns[1].RequiredTool);
        Assert.Equal([true, false], turns[1].Approvals);
        Assert.Equal(("run_dotnet", "Build.", 7), (turns[2].RequiredTool, turns[2].Text, turns[2].LineNumber));
    }

    [Theory]
    [InlineData("approve", "comes before any 'user:' line")]
    [InlineData("assistant: hi", "is not a script line")]
    [InlineData("user[rm]: go", "there is no tool 'rm'")]
    [InlineData("user:   ", "has no text")]
    [InlineData("# only a comment", "has no 'user:' line")]
    public void Parse_BadLine_ThrowsNamingTheLineAndTheFix(string line, string message)
    {
        var ex = Assert.Throws<FormatException>(() => AgentScript.Parse([line], WorkspaceTools.ToolNames));

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BundledDemoScript_IsValid()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "demo.script");

        var turns = AgentScript.Parse(File.ReadAllLines(path), WorkspaceTools.ToolNames);

        Assert.Contains(turns, t => t.RequiredTool == WorkspaceTools.WriteFileName && t.Approvals.SequenceEqual([true]));
        Assert.Contains(turns, t => t.RequiredTool == WorkspaceTools.RunDotnetName && t.Approvals.SequenceEqual([false]));
    }
}
