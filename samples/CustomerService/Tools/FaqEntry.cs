namespace CustomerService.Tools;

/// <summary>One question and answer of the shop's FAQ.</summary>
internal sealed record FaqEntry(string Question, string Answer);
