using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

/// <summary>What the model fills in. Every property is required by the schema; null is allowed where the type says so.</summary>
internal sealed record TicketTriage(
    [property: Description("What the ticket is about")] TicketCategory Category,
    [property: Description("The customer's mood, from -2 (angry) to 2 (delighted)"), Range(-2, 2)] int Sentiment,
    [property: Description("The order number the customer gives, if any"), Range(1, 99999)] int? OrderNumber,
    [property: Description("One sentence for the support agent"), StringLength(160, MinimumLength = 1)] string Summary,
    [property: Description("What to do next, in order"), Length(1, 3)] IReadOnlyList<Step> NextSteps);
