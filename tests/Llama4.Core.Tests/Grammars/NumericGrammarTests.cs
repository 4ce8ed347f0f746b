using System.Globalization;
using System.Numerics;
using Llama4.Core.Grammars;

namespace Llama4.Core.Tests.Grammars;

/// <summary>Exhaustive checks of the integer-range and bounded-decimal grammars against the values they must accept.</summary>
public sealed class NumericGrammarTests
{
    public static TheoryData<long, long> IntegerRanges()
    {
        var data = new TheoryData<long, long>
        {
            { -12, 345 }, { 0, 0 }, { -5, -1 }, { -100, -37 }, { 1, 9 }, { 10, 99 }, { 7, 1234 }, { -999, 999 },
            { 123, 129 }, { 190, 210 }, { -1, 0 }, { 0, 1 }, { 100, 100 }, { -1000, -1000 }, { 95, 1005 }, { 1999, 2001 },
        };
        var random = new Random(7);
        for (int i = 0; i < 16; i++)
        {
            long a = random.Next(-3000, 3000);
            long b = random.Next(-3000, 3000);
            data.Add(Math.Min(a, b), Math.Max(a, b));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(IntegerRanges))]
    public void Integer_Range_AcceptsExactlyTheRange(long lo, long hi)
    {
        var matcher = Compile(builder => NumericGrammar.Integer(lo, hi, builder.AddRule));

        for (long v = lo - 40; v <= hi + 40; v++)
        {
            Assert.Equal(v >= lo && v <= hi, matcher.Accepts(v.ToString(CultureInfo.InvariantCulture)));
        }

        Assert.False(matcher.Accepts("-0"));
        Assert.False(matcher.Accepts("0" + hi.ToString(CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Integer_HugeRange_AcceptsBoundariesOnly()
    {
        var lo = BigInteger.Parse("-123456789012345678901234567890", CultureInfo.InvariantCulture);
        var hi = BigInteger.Pow(10, 40) + 17;

        var matcher = Compile(builder => NumericGrammar.Integer(lo, hi, builder.AddRule));

        foreach (var delta in new BigInteger[] { -2, -1, 0, 1, 2 })
        {
            Assert.Equal(delta >= 0, matcher.Accepts((lo + delta).ToString(CultureInfo.InvariantCulture)));
            Assert.Equal(delta <= 0, matcher.Accepts((hi + delta).ToString(CultureInfo.InvariantCulture)));
        }
    }

    public static TheoryData<string?, bool, string?, bool> DecimalBounds()
    {
        string?[] values = [null, "-2.5", "-1", "-0.05", "0", "0.3", "1.25", "3"];
        var data = new TheoryData<string?, bool, string?, bool>();
        foreach (string? low in values)
        {
            foreach (string? high in values)
            {
                if (low is not null && high is not null && decimal.Parse(low, CultureInfo.InvariantCulture) > decimal.Parse(high, CultureInfo.InvariantCulture))
                {
                    continue;
                }

                foreach (bool lowExclusive in new[] { false, true })
                {
                    foreach (bool highExclusive in new[] { false, true })
                    {
                        if ((low is null && lowExclusive) || (high is null && highExclusive))
                        {
                            continue;
                        }

                        data.Add(low, lowExclusive, high, highExclusive);
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DecimalBounds))]
    public void Decimal_Bounds_AcceptExactlyTheValuesWithin(string? low, bool lowExclusive, string? high, bool highExclusive)
    {
        (ExactDecimal, bool)? lower = low is null ? null : (Parse(low), lowExclusive);
        (ExactDecimal, bool)? upper = high is null ? null : (Parse(high), highExclusive);
        var builder = new GbnfGrammarBuilder();
        string? body = NumericGrammar.Decimal(lower, upper, integerDigits: 1, fractionDigits: 2, builder.AddRule);
        var candidates = Candidates().ToList();
        bool Within(decimal v) =>
            (low is null || (lowExclusive ? v > decimal.Parse(low, CultureInfo.InvariantCulture) : v >= decimal.Parse(low, CultureInfo.InvariantCulture)))
            && (high is null || (highExclusive ? v < decimal.Parse(high, CultureInfo.InvariantCulture) : v <= decimal.Parse(high, CultureInfo.InvariantCulture)));

        if (body is null)
        {
            Assert.DoesNotContain(candidates, c => c.Canonical && Within(c.Value));
            return;
        }

        var matcher = GbnfMatcher.For(builder.Build(builder.AddRule("number", body)));
        foreach (var (text, value, canonical) in candidates)
        {
            bool expected = canonical && Within(value) && Math.Abs(value) < 10;
            Assert.True(expected == matcher.Accepts(text), $"{text} in [{low}{(lowExclusive ? " excl" : string.Empty)}, {high}{(highExclusive ? " excl" : string.Empty)}]: expected {expected}");
        }
    }

    // Numbers -12.999..12.999 with 0 to 3 fraction digits; canonical means no leading zero, no "-0", at most 2 fraction digits.
    private static IEnumerable<(string Text, decimal Value, bool Canonical)> Candidates()
    {
        string[] fractions = [string.Empty, .. Enumerable.Range(0, 10).Select(i => "." + i.ToString(CultureInfo.InvariantCulture)), .. Enumerable.Range(0, 100).Select(i => "." + i.ToString("00", CultureInfo.InvariantCulture)), ".001", ".999", ".250", ".051"];
        foreach (string sign in new[] { string.Empty, "-" })
        {
            foreach (string integer in new[] { "0", "1", "2", "3", "9", "10", "12", "00", "01" })
            {
                foreach (string fraction in fractions)
                {
                    string text = sign + integer + fraction;
                    decimal value = decimal.Parse(text, CultureInfo.InvariantCulture);
                    bool canonical = !(integer.Length > 1 && integer[0] == '0') && fraction.Length <= 3 && !(sign.Length > 0 && value == 0);
                    yield return (text, value, canonical);
                }
            }
        }
    }

    private static ExactDecimal Parse(string text) => ExactDecimal.TryParse(text, out var value) ? value : throw new FormatException(text);

    private static GbnfMatcher Compile(Func<GbnfGrammarBuilder, string> body)
    {
        var builder = new GbnfGrammarBuilder();
        return GbnfMatcher.For(builder.Build(builder.AddRule("number", body(builder))));
    }
}
