using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using CustomerService.Data;
using Microsoft.SemanticKernel;

namespace CustomerService.Tools;

/// <summary>
/// Semantic Kernel plugin "refunds". Requesting a refund moves money, so the agent offers it wrapped in
/// <c>ApprovalRequiredAIFunction</c>: it runs only after a human approved the call. Every approved request is recorded
/// in <c>refund_requests</c>, with a status saying whether the shop accepted it.
/// </summary>
internal sealed class RefundsPlugin(SupportDatabase database)
{
    public const string PluginName = "refunds";

    [KernelFunction("request_refund")]
    [Description("Requests a full refund of an order. A human must approve this before it runs.")]
    public string RequestRefund(
        [Description("The order number, for example 1001."), Range(OrderNumbers.Minimum, OrderNumbers.Maximum)] int orderNumber,
        [Description("Why the customer wants the refund."), AllowedValues(RefundReasons.Damaged, RefundReasons.NotAsDescribed, RefundReasons.NeverArrived, RefundReasons.ChangedMind)] string reason)
    {
        ToolArguments.RequireRange(orderNumber, OrderNumbers.Minimum, OrderNumbers.Maximum, nameof(orderNumber), "the order number from the confirmation e-mail (for example 1001)");
        if (!RefundReasons.All.Contains(reason))
        {
            throw new ArgumentOutOfRangeException(nameof(reason), reason, $"Unknown refund reason '{reason}'; use one of: {string.Join(", ", RefundReasons.All)}.");
        }

        var order = database.FindOrder(orderNumber);
        var status = order switch
        {
            null => "rejected: no such order",
            { Status: "cancelled" } => "rejected: the order was cancelled and never charged",
            _ when database.GetRefundRequests().Any(r => r.OrderNumber == orderNumber && r.Status == "accepted") => "rejected: already refunded",
            _ => "accepted",
        };
        var id = database.InsertRefundRequest(orderNumber, reason, status);
        return status == "accepted"
            ? FormattableString.Invariant($"Refund request {id} for order {orderNumber} ({Money.Format(order!.TotalCents)}) accepted; the money is back within 5 business days.")
            : FormattableString.Invariant($"Refund request {id} for order {orderNumber} {status}.");
    }
}
