namespace Llama4.Moderation.Internal.Pii;

/// <summary>Payment card validation: issuer prefix (IIN) and length, and the Luhn check digit.</summary>
internal static class PaymentCards
{
    // (prefix range low, high, number of prefix digits, min length, max length, network)
    private static readonly (int Low, int High, int Digits, int MinLength, int MaxLength, string Network)[] Ranges =
    [
        (4, 4, 1, 13, 19, "Visa"),
        (51, 55, 2, 16, 16, "Mastercard"),
        (2221, 2720, 4, 16, 16, "Mastercard"),
        (34, 34, 2, 15, 15, "Amex"),
        (37, 37, 2, 15, 15, "Amex"),
        (6011, 6011, 4, 16, 19, "Discover"),
        (644, 649, 3, 16, 19, "Discover"),
        (65, 65, 2, 16, 19, "Discover"),
        (3528, 3589, 4, 16, 19, "Jcb"),
        (300, 305, 3, 14, 19, "DinersClub"),
        (309, 309, 3, 14, 19, "DinersClub"),
        (36, 36, 2, 14, 19, "DinersClub"),
        (38, 39, 2, 14, 19, "DinersClub"),
        (62, 62, 2, 16, 19, "UnionPay"),
        (2200, 2204, 4, 16, 19, "Mir"),
        (5018, 5018, 4, 12, 19, "Maestro"),
        (5020, 5020, 4, 12, 19, "Maestro"),
        (5038, 5038, 4, 12, 19, "Maestro"),
        (5893, 5893, 4, 12, 19, "Maestro"),
        (6304, 6304, 4, 12, 19, "Maestro"),
        (6759, 6759, 4, 12, 19, "Maestro"),
        (6761, 6763, 4, 12, 19, "Maestro"),
    ];

    /// <summary>Gets the card network of a digit string, or <see langword="null"/> when it is not a valid card number.</summary>
    public static string? Network(ReadOnlySpan<char> digits)
    {
        if (digits.Length is < 12 or > 19 || !Luhn(digits))
        {
            return null;
        }

        foreach (var (low, high, prefixDigits, minLength, maxLength, network) in Ranges)
        {
            if (digits.Length < minLength || digits.Length > maxLength)
            {
                continue;
            }

            var prefix = 0;
            for (var i = 0; i < prefixDigits; i++)
            {
                prefix = (prefix * 10) + (digits[i] - '0');
            }

            if (prefix >= low && prefix <= high)
            {
                return network;
            }
        }

        return null;
    }

    /// <summary>The Luhn (mod 10) check over a string of ASCII digits.</summary>
    public static bool Luhn(ReadOnlySpan<char> digits)
    {
        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return sum % 10 == 0;
    }
}
