using System.Text.Json;
using CustomerService.Data;
using CustomerService.Tests.TestSupport;
using CustomerService.Tools;
using Llama4.Extensions.AI;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace CustomerService.Tests.Tools;

/// <summary>The plugins as the agent sees them: names, schemas, argument checks, approval and the database.</summary>
public sealed class SupportToolsTests(SampleEngineFixture fixture) : IClassFixture<SampleEngineFixture>, IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "customer-service-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task CreateAIFunctions_Names_ArePluginQualifiedAndOnlyRefundNeedsApproval()
    {
        var tools = await CreateToolsAsync();

        Assert.Equal(
            ["customers_get_customer", "customers_get_order_status", "refunds_request_refund", "support_search_faq", "support_open_ticket", "support_escalate_to_human"],
            tools.Select(t => t.Name));
        Assert.Equal(["refunds_request_refund"], tools.OfType<ApprovalRequiredAIFunction>().Select(t => t.Name));
    }

    [Fact]
    public async Task KernelSchema_DataAnnotations_AreDroppedBySemanticKernelAndAddedBack()
    {
        var kernel = await CreateKernelAsync();
        var raw = kernel.Plugins[RefundsPlugin.PluginName].AsAIFunctions(kernel).Single().JsonSchema;
        var tools = SupportTools.CreateAIFunctions(kernel);
        var refund = tools.Single(t => t.Name == "refunds_request_refund").JsonSchema;
        var faq = tools.Single(t => t.Name == "support_search_faq").JsonSchema;

        // What Semantic Kernel 1.82 generates: the types, no [Range] or [AllowedValues].
        var rawOrder = raw.GetProperty("properties").GetProperty("orderNumber");
        Assert.Equal("integer", rawOrder.GetProperty("type").GetString());
        Assert.False(rawOrder.TryGetProperty("minimum", out _));
        Assert.False(raw.GetProperty("properties").GetProperty("reason").TryGetProperty("enum", out _));

        // What the agent offers.
        var order = refund.GetProperty("properties").GetProperty("orderNumber");
        Assert.Equal(OrderNumbers.Minimum, order.GetProperty("minimum").GetInt32());
        Assert.Equal(OrderNumbers.Maximum, order.GetProperty("maximum").GetInt32());
        Assert.Equal(
            RefundReasons.All,
            refund.GetProperty("properties").GetProperty("reason").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(SupportPlugin.MaxTextLength, faq.GetProperty("properties").GetProperty("question").GetProperty("maxLength").GetInt32());
        Assert.Equal(1, faq.GetProperty("properties").GetProperty("question").GetProperty("minLength").GetInt32());
    }

    [Theory]
    [InlineData(0, "orderNumber must be between 1000 and 9999")]
    [InlineData(123456, "orderNumber must be between 1000 and 9999")]
    public async Task GetOrderStatus_OrderNumberOutOfRange_RefusedWithClearMessage(int orderNumber, string expected)
    {
        var tool = (await CreateToolsAsync()).Single(t => t.Name == "customers_get_order_status");

        var error = await Assert.ThrowsAnyAsync<Exception>(
            async () => await tool.InvokeAsync(new AIFunctionArguments { ["orderNumber"] = orderNumber }, TestContext.Current.CancellationToken));

        var refusal = FindArgumentException(error);
        Assert.Contains(expected, refusal.Message, StringComparison.Ordinal);
        Assert.Contains("ask the customer for the order number", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestRefund_UnknownReason_RefusedAndNothingWritten()
    {
        var kernel = await CreateKernelAsync();
        var tool = SupportTools.CreateAIFunctions(kernel).Single(t => t.Name == "refunds_request_refund");

        var error = await Assert.ThrowsAnyAsync<Exception>(
            async () => await tool.InvokeAsync(new AIFunctionArguments { ["orderNumber"] = 1001, ["reason"] = "bored" }, TestContext.Current.CancellationToken));

        Assert.Contains("Unknown refund reason 'bored'; use one of: damaged", FindArgumentException(error).Message, StringComparison.Ordinal);
        Assert.Empty(SupportDatabase.Open(_dataDirectory).GetRefundRequests());
    }

    [Fact]
    public async Task RequestRefund_ValidCalls_AcceptOnceThenRejectRepeatAndUnknownOrders()
    {
        var tool = (await CreateToolsAsync()).Single(t => t.Name == "refunds_request_refund");

        var accepted = await InvokeAsync(tool, 1001, RefundReasons.Damaged);
        var repeated = await InvokeAsync(tool, 1001, RefundReasons.Damaged);
        var cancelled = await InvokeAsync(tool, 1005, RefundReasons.ChangedMind);
        var unknown = await InvokeAsync(tool, 4242, RefundReasons.NeverArrived);

        Assert.Contains("accepted", accepted, StringComparison.Ordinal);
        Assert.Contains("EUR 129.00", accepted, StringComparison.Ordinal);
        Assert.Contains("rejected: already refunded", repeated, StringComparison.Ordinal);
        Assert.Contains("rejected: the order was cancelled", cancelled, StringComparison.Ordinal);
        Assert.Contains("rejected: no such order", unknown, StringComparison.Ordinal);
        Assert.Equal(
            ["accepted", "rejected: already refunded", "rejected: the order was cancelled and never charged", "rejected: no such order"],
            SupportDatabase.Open(_dataDirectory).GetRefundRequests().Select(r => r.Status));
    }

    [Fact]
    public async Task GetCustomer_SeededCustomer_ListsOrdersFromTheDatabase()
    {
        var tool = (await CreateToolsAsync()).Single(t => t.Name == "customers_get_customer");

        var text = ToText(await tool.InvokeAsync(new AIFunctionArguments { ["customerNumber"] = 1 }, TestContext.Current.CancellationToken));

        Assert.StartsWith("Customer 1: Ada Lovelace, gold tier", text, StringComparison.Ordinal);
        Assert.Contains("Order 1001: Mechanical keyboard, EUR 129.00, delivered", text, StringComparison.Ordinal);
        Assert.Contains("Order 1002: USB-C dock", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchFaq_Question_ReturnsTwoEntriesRankedByCosineSimilarity()
    {
        var tool = (await CreateToolsAsync()).Single(t => t.Name == "support_search_faq");

        var text = ToText(await tool.InvokeAsync(new AIFunctionArguments { ["question"] = "How long does shipping take?" }, TestContext.Current.CancellationToken));

        var lines = text.Split('\n');
        Assert.Equal(2, lines.Length);
        var scores = lines.Select(l => float.Parse(l[1..l.IndexOf(']', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(scores[0] >= scores[1]);
        Assert.All(lines, l => Assert.Contains(FaqKnowledgeBase.DefaultEntries, e => l.Contains(e.Question, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task SearchFaq_ExactEntryText_RanksThatEntryFirst()
    {
        var entry = FaqKnowledgeBase.DefaultEntries[4];
        var knowledgeBase = await FaqKnowledgeBase.CreateAsync(new Llama4EmbeddingGenerator(fixture.Engine), FaqKnowledgeBase.DefaultEntries, TestContext.Current.CancellationToken);

        var hits = await knowledgeBase.SearchAsync($"{entry.Question} {entry.Answer}", 1, TestContext.Current.CancellationToken);

        Assert.Same(entry, Assert.Single(hits).Entry);
        Assert.Equal(1f, hits[0].Score, 3);
    }

    [Fact]
    public void CosineSimilarity_DifferentDimensions_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => FaqKnowledgeBase.CosineSimilarity([1f, 0f], [1f]));

        Assert.Contains("same model", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private static async Task<string> InvokeAsync(AIFunction tool, int orderNumber, string reason) =>
        ToText(await tool.InvokeAsync(new AIFunctionArguments { ["orderNumber"] = orderNumber, ["reason"] = reason }, TestContext.Current.CancellationToken));

    private static string ToText(object? result) => result switch
    {
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString()!,
        _ => result?.ToString() ?? string.Empty,
    };

    private static ArgumentException FindArgumentException(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is ArgumentException argument)
            {
                return argument;
            }
        }

        throw new Xunit.Sdk.XunitException($"Expected an ArgumentException, got {error}");
    }

    private async Task<IReadOnlyList<AIFunction>> CreateToolsAsync() => SupportTools.CreateAIFunctions(await CreateKernelAsync());

    private async Task<Kernel> CreateKernelAsync()
    {
        var knowledgeBase = await FaqKnowledgeBase.CreateAsync(new Llama4EmbeddingGenerator(fixture.Engine), FaqKnowledgeBase.DefaultEntries, TestContext.Current.CancellationToken);
        return SupportTools.CreateKernel(SupportDatabase.Open(_dataDirectory), knowledgeBase);
    }
}
