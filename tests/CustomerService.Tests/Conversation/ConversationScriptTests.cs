using CustomerService.Conversation;

namespace CustomerService.Tests.Conversation;

public sealed class ConversationScriptTests
{
    [Fact]
    public void Parse_AllLineKinds_ReturnsCommandsWithLineNumbers()
    {
        var commands = ConversationScript.Parse(
        [
            "# a comment",
            "user: Where is order 1001?",
            "",
            "user[refunds_request_refund]: Refund it: it broke.",
            "  APPROVE ",
            "deny",
            "restart",
        ]);

        Assert.Equal(
            [
                new ScriptCommand(ScriptCommandKind.User, 2, "Where is order 1001?"),
                new ScriptCommand(ScriptCommandKind.User, 4, "Refund it: it broke.", "refunds_request_refund"),
                new ScriptCommand(ScriptCommandKind.Approve, 5),
                new ScriptCommand(ScriptCommandKind.Deny, 6),
                new ScriptCommand(ScriptCommandKind.Restart, 7),
            ],
            commands);
    }

    [Theory]
    [InlineData("hello there", "'hello there' is not a command")]
    [InlineData("user:", "no text after ':'")]
    [InlineData("user[]: hi", "neither 'user' nor 'user[TOOL]'")]
    [InlineData("user[a b]: hi", "neither 'user' nor 'user[TOOL]'")]
    [InlineData("assistant: hi", "is not a command")]
    public void Parse_BadLine_ThrowsWithLineNumberAndFormat(string line, string expected)
    {
        var error = Assert.Throws<ScriptFormatException>(() => ConversationScript.Parse(["# first", line]));

        Assert.Equal(2, error.LineNumber);
        Assert.Contains("Script line 2:", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("'user[TOOL]: TEXT'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_ThrowsNamingTheFix()
    {
        var error = Assert.Throws<FileNotFoundException>(() => ConversationScript.Load("/nonexistent/demo.script"));

        Assert.Contains("--script", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ShippedDemoScript_ParsesAndForcesOnlyExistingToolNames()
    {
        var commands = ConversationScript.Load(Path.Combine(AppContext.BaseDirectory, "demo.script"));

        Assert.Contains(commands, c => c.Kind == ScriptCommandKind.Restart);
        Assert.Contains(commands, c => c.Kind == ScriptCommandKind.Approve);
        Assert.Contains(commands, c => c.Kind == ScriptCommandKind.Deny);
        Assert.All(
            commands.Where(c => c.ForcedTool is not null),
            c => Assert.Contains(c.ForcedTool, new[] { "customers_get_customer", "customers_get_order_status", "refunds_request_refund", "support_search_faq", "support_open_ticket", "support_escalate_to_human" }));
    }
}
