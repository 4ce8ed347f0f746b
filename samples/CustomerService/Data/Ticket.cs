namespace CustomerService.Data;

/// <summary>A support ticket; <see cref="Escalated"/> when it went to a human.</summary>
internal sealed record Ticket(long Id, int? CustomerId, string Subject, bool Escalated);
