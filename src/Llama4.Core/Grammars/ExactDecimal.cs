using System.Globalization;
using System.Numerics;

namespace Llama4.Core.Grammars;

/// <summary>An exact decimal number (<c>Unscaled × 10^-Scale</c>), parsed from JSON number text without rounding.</summary>
internal readonly record struct ExactDecimal : IComparable<ExactDecimal>
{
    /// <summary>The largest decimal exponent accepted when parsing (larger bounds are refused, not rounded).</summary>
    public const int MaxExponent = 1000;

    private ExactDecimal(BigInteger unscaled, int scale)
    {
        while (scale > 0 && !unscaled.IsZero && unscaled % 10 == 0)
        {
            unscaled /= 10;
            scale--;
        }

        Unscaled = unscaled;
        Scale = unscaled.IsZero ? 0 : scale;
    }

    /// <summary>Gets the digits of the value as an integer.</summary>
    public BigInteger Unscaled { get; }

    /// <summary>Gets the number of decimal places (0 or more; no trailing zeros).</summary>
    public int Scale { get; }

    /// <summary>Gets the sign (-1, 0 or 1).</summary>
    public int Sign => Unscaled.Sign;

    /// <summary>Gets whether the value is a whole number.</summary>
    public bool IsInteger => Scale == 0;

    /// <summary>Gets the integer part of the absolute value.</summary>
    public BigInteger MagnitudeIntegerPart => BigInteger.Abs(Unscaled) / BigInteger.Pow(10, Scale);

    /// <summary>Gets the fraction digits of the absolute value, without trailing zeros ("" for whole numbers).</summary>
    public string MagnitudeFractionDigits => Scale == 0
        ? string.Empty
        : (BigInteger.Abs(Unscaled) % BigInteger.Pow(10, Scale)).ToString(CultureInfo.InvariantCulture).PadLeft(Scale, '0');

    /// <summary>Creates a whole number.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The decimal.</returns>
    public static ExactDecimal FromInteger(BigInteger value) => new(value, 0);

    /// <summary>Parses JSON number text exactly.</summary>
    /// <param name="text">The text (for example <c>-1.25e3</c>).</param>
    /// <param name="value">The value.</param>
    /// <returns>False when the text is not a JSON number or its exponent exceeds <see cref="MaxExponent"/>.</returns>
    public static bool TryParse(string text, out ExactDecimal value)
    {
        value = default;
        int i = 0;
        bool negative = i < text.Length && text[i] == '-';
        if (negative)
        {
            i++;
        }

        int digitsStart = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        string integerDigits = text[digitsStart..i];
        string fractionDigits = string.Empty;
        if (i < text.Length && text[i] == '.')
        {
            int fractionStart = ++i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            fractionDigits = text[fractionStart..i];
        }

        int exponent = 0;
        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            if (!int.TryParse(text.AsSpan(i + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent) || Math.Abs(exponent) > MaxExponent)
            {
                return false;
            }

            i = text.Length;
        }

        if (i != text.Length || integerDigits.Length == 0)
        {
            return false;
        }

        var unscaled = BigInteger.Parse(integerDigits + fractionDigits, NumberStyles.None, CultureInfo.InvariantCulture);
        int scale = fractionDigits.Length - exponent;
        if (scale < 0)
        {
            unscaled *= BigInteger.Pow(10, -scale);
            scale = 0;
        }

        value = new ExactDecimal(negative ? -unscaled : unscaled, scale);
        return true;
    }

    /// <summary>Returns the negated value.</summary>
    /// <returns>-this.</returns>
    public ExactDecimal Negate() => new(-Unscaled, Scale);

    /// <summary>Returns the largest integer not above the value.</summary>
    /// <returns>floor(this).</returns>
    public BigInteger Floor()
    {
        var divisor = BigInteger.Pow(10, Scale);
        var quotient = BigInteger.DivRem(Unscaled, divisor, out var remainder);
        return remainder.Sign < 0 ? quotient - 1 : quotient;
    }

    /// <summary>Returns the smallest integer not below the value.</summary>
    /// <returns>ceil(this).</returns>
    public BigInteger Ceiling() => -Negate().Floor();

    /// <inheritdoc />
    public int CompareTo(ExactDecimal other)
    {
        int scale = Math.Max(Scale, other.Scale);
        return (Unscaled * BigInteger.Pow(10, scale - Scale)).CompareTo(other.Unscaled * BigInteger.Pow(10, scale - other.Scale));
    }

    /// <summary>Compares two values.</summary>
    /// <param name="left">The left value.</param>
    /// <param name="right">The right value.</param>
    /// <returns>Whether left is less than right.</returns>
    public static bool operator <(ExactDecimal left, ExactDecimal right) => left.CompareTo(right) < 0;

    /// <summary>Compares two values.</summary>
    /// <param name="left">The left value.</param>
    /// <param name="right">The right value.</param>
    /// <returns>Whether left is greater than right.</returns>
    public static bool operator >(ExactDecimal left, ExactDecimal right) => left.CompareTo(right) > 0;

    /// <summary>Compares two values.</summary>
    /// <param name="left">The left value.</param>
    /// <param name="right">The right value.</param>
    /// <returns>Whether left is less than or equal to right.</returns>
    public static bool operator <=(ExactDecimal left, ExactDecimal right) => left.CompareTo(right) <= 0;

    /// <summary>Compares two values.</summary>
    /// <param name="left">The left value.</param>
    /// <param name="right">The right value.</param>
    /// <returns>Whether left is greater than or equal to right.</returns>
    public static bool operator >=(ExactDecimal left, ExactDecimal right) => left.CompareTo(right) >= 0;

    /// <inheritdoc />
    public override string ToString()
    {
        string digits = BigInteger.Abs(Unscaled).ToString(CultureInfo.InvariantCulture).PadLeft(Scale + 1, '0');
        string text = Scale == 0 ? digits : digits[..^Scale] + "." + digits[^Scale..];
        return Sign < 0 ? "-" + text : text;
    }
}
