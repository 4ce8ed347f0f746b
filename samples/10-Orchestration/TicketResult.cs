/// <summary>What the team made of one ticket.</summary>
/// <param name="Ticket">The customer's message.</param>
/// <param name="Specialist">The specialist triage handed it to.</param>
/// <param name="Draft">The specialist's draft reply.</param>
/// <param name="Final">The editor's final reply.</param>
internal sealed record TicketResult(string Ticket, string Specialist, string Draft, string Final);
