namespace CustomerService.Tools;

/// <summary>A FAQ entry found for a query, with its cosine similarity to the query.</summary>
internal sealed record FaqHit(FaqEntry Entry, float Score);
