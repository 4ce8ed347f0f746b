using System.Globalization;
using System.Numerics;

namespace Llama4.Core.Grammars;

/// <summary>
/// Builds GBNF for JSON numbers inside exact bounds: canonical integers (no leading zeros, no <c>-0</c>) in any
/// [lo, hi], and decimals <c>-?int(.frac)?</c> (no exponent) whose value lies within inclusive or exclusive bounds.
/// </summary>
/// <remarks>
/// A decimal is its integer part I and fraction digits f. With bounds a &lt;= x &lt;= b on the magnitude, the
/// integers strictly between floor(a) and floor(b) take any fraction; at I = floor(a) the fraction must be at least
/// a's fraction digits (compared digit by digit, shorter strings padded with zeros), and at I = floor(b) at most b's.
/// The fraction constraints are built digit by digit; each step either settles a bound or carries it one digit on.
/// Nested alternatives are emitted as named rules through <c>rule</c>, so no expression nests deeper than one group.
/// </remarks>
internal static class NumericGrammar
{
    /// <summary>The most integer digits a bound may have (larger bounds are refused).</summary>
    public const int MaxDigits = 1000;

    /// <summary>Builds a rule body for canonical integers in [lo, hi].</summary>
    /// <param name="lo">The smallest value.</param>
    /// <param name="hi">The largest value (at least <paramref name="lo"/>).</param>
    /// <param name="rule">Adds a rule (name hint, body) and returns its name.</param>
    /// <returns>A GBNF expression.</returns>
    public static string Integer(BigInteger lo, BigInteger hi, Func<string, string, string> rule)
    {
        var alternatives = new List<string>();
        if (hi.Sign < 0)
        {
            alternatives.Add("\"-\" " + Atom(NonNegative(-hi, -lo, rule), rule));
        }
        else if (lo.Sign < 0)
        {
            alternatives.Add("\"-\" " + Atom(NonNegative(BigInteger.One, -lo, rule), rule));
            alternatives.Add(NonNegative(BigInteger.Zero, hi, rule));
        }
        else
        {
            alternatives.Add(NonNegative(lo, hi, rule));
        }

        return string.Join(" | ", alternatives);
    }

    /// <summary>Builds a rule body for decimals within the bounds, or null when no decimal fits.</summary>
    /// <param name="lower">The lower bound, or null for none.</param>
    /// <param name="upper">The upper bound, or null for none.</param>
    /// <param name="integerDigits">The most integer digits on an unbounded side.</param>
    /// <param name="fractionDigits">The most fraction digits.</param>
    /// <param name="rule">Adds a rule (name hint, body) and returns its name.</param>
    /// <returns>A GBNF expression, or null when the bounds leave no number.</returns>
    public static string? Decimal(
        (ExactDecimal Value, bool Exclusive)? lower,
        (ExactDecimal Value, bool Exclusive)? upper,
        int integerDigits,
        int fractionDigits,
        Func<string, string, string> rule)
    {
        int capDigits = CapDigits(lower?.Value, upper?.Value, integerDigits);
        var alternatives = new List<string>();
        var zero = ExactDecimal.FromInteger(BigInteger.Zero);

        // x < 0: "-" and a magnitude m = -x with m > 0 (no "-0"), m >= -upper (when upper < 0), m <= -lower.
        if (lower is null || lower.Value.Value.Sign < 0)
        {
            var magnitudeLower = upper is { } u && u.Value.Sign < 0 ? (u.Value.Negate(), u.Exclusive) : (zero, true);
            (ExactDecimal, bool)? magnitudeUpper = lower is { } l ? (l.Value.Negate(), l.Exclusive) : null;
            if (Magnitude(magnitudeLower, magnitudeUpper, capDigits, fractionDigits, rule) is { } negative)
            {
                alternatives.Add("\"-\" " + Atom(negative, rule));
            }
        }

        // x >= 0.
        if (upper is null || upper.Value.Value.Sign > 0 || (upper.Value.Value.Sign == 0 && !upper.Value.Exclusive))
        {
            var magnitudeLower = lower is { } l && l.Value.Sign >= 0 ? l : (zero, false);
            if (Magnitude(magnitudeLower, upper, capDigits, fractionDigits, rule) is { } positive)
            {
                alternatives.Add(positive);
            }
        }

        return alternatives.Count == 0 ? null : string.Join(" | ", alternatives);
    }

    /// <summary>Returns the number of integer digits allowed on an unbounded side.</summary>
    /// <param name="lower">The lower bound, if any.</param>
    /// <param name="upper">The upper bound, if any.</param>
    /// <param name="integerDigits">The configured digit limit.</param>
    /// <returns>The larger of the limit and the digits of either bound.</returns>
    public static int CapDigits(ExactDecimal? lower, ExactDecimal? upper, int integerDigits)
    {
        int digits = integerDigits;
        foreach (var bound in new[] { lower, upper })
        {
            if (bound is { } b)
            {
                digits = Math.Max(digits, b.MagnitudeIntegerPart.ToString(CultureInfo.InvariantCulture).Length);
            }
        }

        return digits;
    }

    private static string? Magnitude(
        (ExactDecimal Value, bool Exclusive) lower,
        (ExactDecimal Value, bool Exclusive)? upper,
        int capDigits,
        int fractionDigits,
        Func<string, string, string> rule)
    {
        var lowInteger = lower.Value.MagnitudeIntegerPart;
        var low = (lower.Value.MagnitudeFractionDigits, lower.Exclusive);
        var alternatives = new List<string>();
        if (upper is not { } up)
        {
            var cap = BigInteger.Pow(10, capDigits) - 1;
            if (lowInteger > cap)
            {
                return null;
            }

            AddWithFraction(alternatives, Literal(lowInteger), Fraction(low, null, fractionDigits, rule));
            if (lowInteger < cap)
            {
                AddWithFraction(alternatives, Atom(NonNegative(lowInteger + 1, cap, rule), rule), Fraction(null, null, fractionDigits, rule));
            }
        }
        else
        {
            var highInteger = up.Value.MagnitudeIntegerPart;
            var high = (up.Value.MagnitudeFractionDigits, up.Exclusive);
            if (lowInteger > highInteger)
            {
                return null;
            }

            if (lowInteger == highInteger)
            {
                AddWithFraction(alternatives, Literal(lowInteger), Fraction(low, high, fractionDigits, rule));
            }
            else
            {
                AddWithFraction(alternatives, Literal(lowInteger), Fraction(low, null, fractionDigits, rule));
                if (lowInteger + 1 <= highInteger - 1)
                {
                    AddWithFraction(alternatives, Atom(NonNegative(lowInteger + 1, highInteger - 1, rule), rule), Fraction(null, null, fractionDigits, rule));
                }

                AddWithFraction(alternatives, Literal(highInteger), Fraction(null, high, fractionDigits, rule));
            }
        }

        return alternatives.Count == 0 ? null : string.Join(" | ", alternatives);
    }

    private static void AddWithFraction(List<string> alternatives, string integerPart, string? fraction)
    {
        if (fraction is not null)
        {
            alternatives.Add(fraction.Length == 0 ? integerPart : integerPart + " " + fraction);
        }
    }

    // The optional fraction part ("" when only the integer itself fits), or null when nothing fits.
    private static string? Fraction((string Digits, bool Strict)? low, (string Digits, bool Strict)? high, int budget, Func<string, string, string> rule)
    {
        var (emptyOk, digits) = FractionDigits(low, high, budget, rule);
        if (digits is null)
        {
            return emptyOk ? string.Empty : null;
        }

        string dotted = rule("frac", "\".\" " + digits);
        return emptyOk ? dotted + "?" : dotted;
    }

    // Digit strings f (1..budget digits) with low <= 0.f <= high (strict where marked), as a rule name; and whether
    // the empty string satisfies the bounds too. Digits strings are compared as if padded with zeros.
    private static (bool EmptyOk, string? Digits) FractionDigits((string Digits, bool Strict)? low, (string Digits, bool Strict)? high, int budget, Func<string, string, string> rule)
    {
        bool emptyOk = (low is null || (low.Value.Digits.Length == 0 && !low.Value.Strict))
            && (high is null || high.Value.Digits.Length > 0 || !high.Value.Strict);
        if (budget == 0)
        {
            return (emptyOk, null);
        }

        var groups = new List<(List<int> Digits, (string, bool)? Low, (string, bool)? High)>();
        for (int c = 0; c <= 9; c++)
        {
            if (!StepLow(low, c, out var nextLow) || !StepHigh(high, c, out var nextHigh))
            {
                continue;
            }

            int index = groups.FindIndex(g => Nullable.Equals(g.Low, nextLow) && Nullable.Equals(g.High, nextHigh));
            if (index >= 0)
            {
                groups[index].Digits.Add(c);
            }
            else
            {
                groups.Add(([c], nextLow, nextHigh));
            }
        }

        var alternatives = new List<string>();
        foreach (var (digits, nextLow, nextHigh) in groups)
        {
            string digitClass = DigitClass(digits);
            if (nextLow is null && nextHigh is null)
            {
                string rest = GbnfText.Repeat("[0-9]", 0, budget - 1);
                alternatives.Add(rest.Length == 0 ? digitClass : digitClass + " " + rest);
                continue;
            }

            var (restEmpty, restDigits) = FractionDigits(nextLow, nextHigh, budget - 1, rule);
            if (restDigits is null)
            {
                if (restEmpty)
                {
                    alternatives.Add(digitClass);
                }

                continue;
            }

            alternatives.Add(digitClass + " " + restDigits + (restEmpty ? "?" : string.Empty));
        }

        return alternatives.Count == 0 ? (emptyOk, null) : (emptyOk, rule("frac-digits", string.Join(" | ", alternatives)));
    }

    private static bool StepLow((string Digits, bool Strict)? low, int c, out (string, bool)? next)
    {
        next = null;
        if (low is not { } l)
        {
            return true;
        }

        int d = l.Digits.Length == 0 ? 0 : l.Digits[0] - '0';
        if (c < d)
        {
            return false;
        }

        if (c == d)
        {
            string rest = l.Digits.Length == 0 ? string.Empty : l.Digits[1..];
            next = rest.Length == 0 && !l.Strict ? null : (rest, l.Strict);
        }

        return true;
    }

    private static bool StepHigh((string Digits, bool Strict)? high, int c, out (string, bool)? next)
    {
        next = null;
        if (high is not { } h)
        {
            return true;
        }

        int d = h.Digits.Length == 0 ? 0 : h.Digits[0] - '0';
        if (c > d)
        {
            return false;
        }

        if (c == d)
        {
            next = (h.Digits.Length == 0 ? string.Empty : h.Digits[1..], h.Strict);
        }

        return true;
    }

    private static string DigitClass(List<int> digits)
    {
        var ranges = new List<(int Low, int High)>();
        foreach (int d in digits)
        {
            if (ranges.Count > 0 && ranges[^1].High == d - 1)
            {
                ranges[^1] = (ranges[^1].Low, d);
            }
            else
            {
                ranges.Add((d, d));
            }
        }

        return GbnfText.Class([.. ranges.Select(r => (r.Low + '0', r.High + '0'))]);
    }

    // Canonical non-negative integers in [lo, hi] (0 <= lo <= hi).
    private static string NonNegative(BigInteger lo, BigInteger hi, Func<string, string, string> rule)
    {
        var alternatives = new List<string>();
        if (lo.IsZero)
        {
            alternatives.Add("\"0\"");
            lo = BigInteger.One;
        }

        if (lo <= hi)
        {
            int lowLength = Length(lo);
            int highLength = Length(hi);
            int fullFrom = -1;
            for (int length = lowLength; length <= highLength; length++)
            {
                var first = BigInteger.Pow(10, length - 1);
                var last = BigInteger.Pow(10, length) - 1;
                var a = BigInteger.Max(lo, first);
                var b = BigInteger.Min(hi, last);
                bool full = a == first && b == last;
                if (full)
                {
                    fullFrom = fullFrom < 0 ? length : fullFrom;
                    if (length < highLength)
                    {
                        continue;
                    }
                }

                if (fullFrom >= 0)
                {
                    int fullTo = full ? length : length - 1;
                    alternatives.Add("[1-9]" + (fullTo == 1 ? string.Empty : " " + GbnfText.Repeat("[0-9]", fullFrom - 1, fullTo - 1)));
                    fullFrom = -1;
                }

                if (!full)
                {
                    alternatives.Add(SameLength(Digits(a), Digits(b), rule));
                }
            }
        }

        return string.Join(" | ", alternatives);
    }

    // Fixed-width digit strings in [a, b] (same length, leading zeros allowed).
    private static string SameLength(string a, string b, Func<string, string, string> rule)
    {
        int n = a.Length;
        if (a == b)
        {
            return GbnfText.Literal(a);
        }

        if (a.All(c => c == '0') && b.All(c => c == '9'))
        {
            return GbnfText.Repeat("[0-9]", n, n);
        }

        if (n == 1)
        {
            return GbnfText.Class((a[0], b[0]));
        }

        if (a[0] == b[0])
        {
            return GbnfText.Literal(a[..1]) + " " + Atom(SameLength(a[1..], b[1..], rule), rule);
        }

        var alternatives = new List<string>();
        bool lowFull = a[1..].All(c => c == '0');
        bool highFull = b[1..].All(c => c == '9');
        char start = lowFull ? a[0] : (char)(a[0] + 1);
        char end = highFull ? b[0] : (char)(b[0] - 1);
        if (!lowFull)
        {
            alternatives.Add(GbnfText.Literal(a[..1]) + " " + Atom(SameLength(a[1..], new string('9', n - 1), rule), rule));
        }

        if (start <= end)
        {
            alternatives.Add(GbnfText.Class((start, end)) + " " + GbnfText.Repeat("[0-9]", n - 1, n - 1));
        }

        if (!highFull)
        {
            alternatives.Add(GbnfText.Literal(b[..1]) + " " + Atom(SameLength(new string('0', n - 1), b[1..], rule), rule));
        }

        return rule("int-range", string.Join(" | ", alternatives));
    }

    // Makes an expression usable inside a sequence: alternatives become a named rule.
    private static string Atom(string expression, Func<string, string, string> rule) =>
        expression.Contains('|', StringComparison.Ordinal) ? rule("int-range", expression) : expression;

    private static string Literal(BigInteger value) => GbnfText.Literal(Digits(value));

    private static string Digits(BigInteger value) => value.ToString(CultureInfo.InvariantCulture);

    private static int Length(BigInteger value) => Digits(value).Length;
}
