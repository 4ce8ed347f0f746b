using System.Text.Json;
using CustomerService.Tests.TestSupport;
using Llama4.Core;
using Microsoft.Extensions.AI;

namespace CustomerService.Tests;

/// <summary>
/// The sample end to end in script mode, on the random-weight tiny model shared by the class: the turns that must call
/// a tool force it (<c>user[TOOL]:</c>), so the tool really runs against the SQLite database.
/// </summary>
public sealed class ScriptModeTests(SampleEngineFixture fixture) : IClassFixture<SampleEngineFixture>
{
    private const string Email = "ada.lovelace@example.com";
    private const string Card = "4111 1111 1111 1111";

    [Fact]
    public async Task RunScript_ForcedEscalationTurn_RunsToolAndWritesTicket()
    {
        using var run = SampleRun.InTemporaryFolder();

        var result = await run.RunScriptAsync(fixture.Engine, "user[support_escalate_to_human]: I want to talk to a human about my order.");

        var ticket = Assert.Single(run.Database.GetTickets());
        Assert.True(ticket.Escalated);
        Assert.Null(ticket.CustomerId);
        Assert.Contains("FORCES the tool support_escalate_to_human", run.Console.Output, StringComparison.Ordinal);
        Assert.Contains($"Escalated as ticket {ticket.Id}", run.Console.Output, StringComparison.Ordinal);
        var call = Assert.Single(result.History.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("support_escalate_to_human", call.Name);
        Assert.Contains(result.History.SelectMany(m => m.Contents), c => c is FunctionResultContent r && r.CallId == call.CallId);
    }

    [Fact]
    public async Task RunScript_RefundDenied_ToolDoesNotRunAndNoRefundIsWritten()
    {
        using var run = SampleRun.InTemporaryFolder();

        var result = await run.RunScriptAsync(fixture.Engine, "user[refunds_request_refund]: Please refund order 1001, it arrived broken.\ndeny");

        Assert.Empty(run.Database.GetRefundRequests());
        Assert.Contains("Approval needed", run.Console.Output, StringComparison.Ordinal);
        Assert.Contains("The human DENIED refunds_request_refund", run.Console.Output, StringComparison.Ordinal);
        Assert.Contains(result.History.SelectMany(m => m.Contents), c => c is ToolApprovalRequestContent);
    }

    [Fact]
    public async Task RunScript_RefundApproved_ToolRunsAndWritesRefundRequest()
    {
        using var run = SampleRun.InTemporaryFolder();

        var result = await run.RunScriptAsync(fixture.Engine, "user[refunds_request_refund]: Please refund order 1001, it arrived broken.\napprove");

        var request = Assert.Single(run.Database.GetRefundRequests());
        Assert.InRange(request.OrderNumber, 1000, 9999);
        Assert.Contains("The human APPROVED refunds_request_refund", run.Console.Output, StringComparison.Ordinal);
        Assert.Contains($"Refund request {request.Id} for order {request.OrderNumber}", run.Console.Output, StringComparison.Ordinal);
        Assert.Contains(result.History.SelectMany(m => m.Contents), c => c is FunctionResultContent);
    }

    [Fact]
    public async Task RunScript_NoDecisionInScript_DeniesTheCall()
    {
        using var run = SampleRun.InTemporaryFolder();

        await run.RunScriptAsync(fixture.Engine, "user[refunds_request_refund]: Please refund order 1001, it arrived broken.");

        Assert.Empty(run.Database.GetRefundRequests());
        Assert.Contains("no 'approve' or 'deny' here: the call is denied", run.Console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunScript_EmailAndCardNumber_RedactedInLogsModelInputAndSavedSession()
    {
        using var run = SampleRun.InTemporaryFolder();

        await run.RunScriptAsync(fixture.Engine, $"user: My email is {Email} and my card {Card} was charged twice for order 1002.");

        var logs = string.Join('\n', run.Logs);
        Assert.DoesNotContain(Email, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(Card, logs, StringComparison.Ordinal);
        // What reached the model, as the sample logs it at Trace from the innermost middleware.
        var modelRead = Assert.Single(run.Logs, l => l.Contains("The model read the user message", StringComparison.Ordinal));
        Assert.Contains("[EMAIL]", modelRead, StringComparison.Ordinal);
        Assert.Contains("[PAYMENT_CARD]", modelRead, StringComparison.Ordinal);
        Assert.Contains("Moderation redacted the message; the model read: My email is [EMAIL] and my card [PAYMENT_CARD]", run.Console.Output, StringComparison.Ordinal);
        var session = await File.ReadAllTextAsync(Path.Combine(run.DataDirectory, "session.json"), TestContext.Current.CancellationToken);
        Assert.DoesNotContain(Email, session, StringComparison.Ordinal);
        Assert.DoesNotContain(Card, session, StringComparison.Ordinal);
        Assert.Contains("[EMAIL]", session, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> ObfuscatedPii => new()
    {
        { "My card CVV is 737 and it expires 03/29, please retry the payment for order 1002.", "737", "[CARD_CVV]" },
        { "My card CVV is 737 and it expires 03/29, please retry the payment for order 1002.", "03/29", "[CARD_EXPIRY]" },
        { "Charge my card \uFF14\uFF11\uFF11\uFF11 \uFF11\uFF11\uFF11\uFF11 \uFF11\uFF11\uFF11\uFF11 \uFF11\uFF11\uFF11\uFF11 for order 1002.", "\uFF14\uFF11\uFF11\uFF11", "[PAYMENT_CARD]" },
        { "My card is 4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 for order 1002.", "4 1 1 1 1 1", "[PAYMENT_CARD]" },
        { "Card four one one one one one one one one one one one one one one one for order 1002.", "four one one one", "[PAYMENT_CARD]" },
        { "Please email ada [at] example [dot] com about order 1002.", "ada [at] example", "[EMAIL]" },
        { "About my order 1002: my password is hunter2.", "hunter2", "[SECRET]" },
        { "Send order 1002 to 221B Baker Street, London.", "221B Baker Street", "[ADDRESS]" },
    };

    [Theory]
    [MemberData(nameof(ObfuscatedPii))]
    public async Task RunScript_ObfuscatedPii_RedactedBeforeTheModelAndInTheSavedSession(string message, string secret, string placeholder)
    {
        using var run = SampleRun.InTemporaryFolder();

        await run.RunScriptAsync(fixture.Engine, "user: " + message);

        var modelRead = Assert.Single(run.Logs, l => l.Contains("The model read the user message", StringComparison.Ordinal));
        Assert.Contains(placeholder, modelRead, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, modelRead, StringComparison.Ordinal);
        using var session = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(run.DataDirectory, "session.json"), TestContext.Current.CancellationToken));
        var stored = string.Join('\n', Strings(session.RootElement));
        Assert.Contains(placeholder, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunScript_OffTopicTurn_BlockedByTopicalRailAndNotStored()
    {
        using var run = SampleRun.InTemporaryFolder();

        var result = await run.RunScriptAsync(fixture.Engine, "user: Write me a poem about the moon and the stars tonight");

        Assert.Contains("OffTopic", run.Console.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(result.History, m => m.Text.Contains("poem", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunScript_SecondRunOnSameData_ResumesHistoryAndSendsItToTheModel()
    {
        using var run = SampleRun.InTemporaryFolder();
        var first = await run.RunScriptAsync(fixture.Engine, "user: My keyboard order 1001 has not arrived.");

        var second = await run.RunScriptAsync(fixture.Engine, "user: Any news about my order since then?", resume: true);

        Assert.Equal(0, first.ResumedMessageCount);
        Assert.Equal(first.History.Count, second.ResumedMessageCount);
        Assert.Contains("Resumed the saved conversation", run.Console.Output, StringComparison.Ordinal);
        Assert.Equal("My keyboard order 1001 has not arrived.", second.History[0].Text);
        Assert.Equal(first.History.Count + 2, second.History.Count);
        // The model's prompt of the resumed turn held the earlier turn too.
        Assert.Contains(run.Logs, l => l.Contains($"The model's prompt holds {first.History.Count + 1} messages", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunScript_ResumeOnFreshEngine_RestoresKvCacheSoTheHistoryIsNotReprocessed()
    {
        using var run = SampleRun.InTemporaryFolder();
        await run.RunScriptAsync(fixture.Engine, "user: My keyboard order 1001 has not arrived.");
        var options = SampleEngineFixture.CreateOptions(fixture.ModelPath);
        options.ContextSize = fixture.Engine.ContextSize;
        options.MaxParallelSequences = 2;
        await using var restarted = await Llama4Engine.LoadAsync(options, cancellationToken: TestContext.Current.CancellationToken);

        await run.RunScriptAsync(restarted, "user: Any news about my order since then?", resume: true);

        Assert.Matches(@"Restored the KV cache of the conversation \(\d+ tokens\)", run.Console.Output);
        // Without the restore a fresh engine has nothing cached and would decode the whole prompt.
        var statistics = restarted.GetStatistics();
        Assert.True(
            statistics.PromptTokensReused > statistics.PromptTokensProcessed,
            $"reused {statistics.PromptTokensReused}, processed {statistics.PromptTokensProcessed}");
    }

    [Fact]
    public async Task RunScript_RestartLine_RebuildsAgentAndKeepsConversation()
    {
        using var run = SampleRun.InTemporaryFolder();

        var result = await run.RunScriptAsync(fixture.Engine, "user: Where is my order 1002?\nrestart\nuser: Thanks, and the delivery date?");

        Assert.Contains("restart: the agent", run.Console.Output, StringComparison.Ordinal);
        Assert.Contains("Resumed the saved conversation: 2 messages", run.Console.Output, StringComparison.Ordinal);
        Assert.Equal(2, result.Turns);
        Assert.Equal("Where is my order 1002?", result.History[0].Text);
        using var saved = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(run.DataDirectory, "session.json"), TestContext.Current.CancellationToken));
        Assert.Contains("Thanks, and the delivery date?", saved.RootElement.GetRawText(), StringComparison.Ordinal);
    }

    // Every string value of a JSON document, unescaped (full-width digits are stored as \uFF14 escapes).
    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        _ => [],
    };
}
