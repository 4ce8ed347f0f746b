namespace CustomerService.Data;

/// <summary>A customer of the shop.</summary>
internal sealed record Customer(int Id, string Name, string Tier, DateOnly Since);
