using System.Globalization;

namespace CustomerService.Tools;

/// <summary>Formats euro cents for tool results.</summary>
internal static class Money
{
    public static string Format(long cents) => string.Create(CultureInfo.InvariantCulture, $"EUR {cents / 100m:F2}");
}
