namespace CustomerService.Data;

/// <summary>A refund request a human approved; <see cref="Status"/> says whether the shop accepted it.</summary>
internal sealed record RefundRequest(long Id, int OrderNumber, string Reason, string Status);
