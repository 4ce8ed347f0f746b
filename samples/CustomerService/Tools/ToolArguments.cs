using System.Globalization;

namespace CustomerService.Tools;

/// <summary>
/// Argument checks inside the tools. The schemas declare the same bounds, but a schema is advice to the model (and
/// Semantic Kernel may not carry every data annotation into it), so each tool refuses bad values itself with a message
/// that tells the model what to send instead.
/// </summary>
internal static class ToolArguments
{
    public static void RequireRange(int value, int minimum, int maximum, string name, string hint)
    {
        if (value < minimum || value > maximum)
        {
            throw new ArgumentOutOfRangeException(
                name,
                value,
                string.Create(CultureInfo.InvariantCulture, $"{name} must be between {minimum} and {maximum}; ask the customer for {hint}."));
        }
    }

    public static void RequireText(string? value, int maximumLength, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"{name} must not be empty; pass a short sentence.", name);
        }

        if (value.Length > maximumLength)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{name} has {value.Length} characters; shorten it to at most {maximumLength}."),
                name);
        }
    }
}
