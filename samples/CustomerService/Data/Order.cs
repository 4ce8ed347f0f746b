namespace CustomerService.Data;

/// <summary>An order; <see cref="TotalCents"/> is in euro cents.</summary>
internal sealed record Order(int Number, int CustomerId, string Item, long TotalCents, string Status, DateOnly Placed);
