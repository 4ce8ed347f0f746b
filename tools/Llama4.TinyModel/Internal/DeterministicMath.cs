namespace Llama4.TinyModel.Internal;

/// <summary>
/// Math built only from IEEE-754 basic operations, which are correctly rounded everywhere: the results are the same
/// bits on every OS and CPU, unlike <see cref="Math.Log(double)"/>, which calls the platform's C runtime.
/// </summary>
internal static class DeterministicMath
{
    private const double Ln2 = 0.6931471805599453;
    private const double Sqrt2 = 1.4142135623730951;

    // 1 / (2k + 1) for k = 0..13, each computed once (IEEE division is exact-rounded, so these are the same everywhere).
    private static readonly double[] OddReciprocals = [.. Enumerable.Range(0, 14).Select(k => 1.0 / ((2 * k) + 1))];

    /// <summary>The natural logarithm of a positive, finite, normal <paramref name="x"/> (accurate to a few ulps).</summary>
    public static double Log(double x)
    {
        long bits = BitConverter.DoubleToInt64Bits(x);
        int exponent = (int)((bits >> 52) & 0x7FF) - 1023;
        double mantissa = BitConverter.Int64BitsToDouble((bits & 0x000F_FFFF_FFFF_FFFFL) | 0x3FF0_0000_0000_0000L);
        if (mantissa > Sqrt2)
        {
            mantissa *= 0.5;
            exponent++;
        }

        // ln(m) = 2 atanh(t) = 2 (t + t^3/3 + t^5/5 + ...), with |t| <= 0.172 for m in [0.707, 1.415]; 15 terms
        // (Horner form) reach double precision.
        double t = (mantissa - 1.0) / (mantissa + 1.0);
        double t2 = t * t;
        double series = 1.0 / 29.0;
        for (int k = 13; k >= 0; k--)
        {
            series = (series * t2) + OddReciprocals[k];
        }

        double sum = t * series;
        return (2.0 * sum) + (exponent * Ln2);
    }
}
