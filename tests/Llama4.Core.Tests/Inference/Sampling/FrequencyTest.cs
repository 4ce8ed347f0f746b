namespace Llama4.Core.Tests.Inference.Sampling;

/// <summary>
/// Chi-square tests on token counts. Categories with few expected draws are pooled into one. The acceptance bound is
/// the degrees of freedom plus six standard deviations of the chi-square distribution (plus 10 for small df): a false
/// alarm is rarer than one in a million runs, while a systematic difference of a few percent in any frequent token's
/// probability exceeds it by far at the sample sizes used.
/// </summary>
internal static class FrequencyTest
{
    /// <summary>Two samples of the same size from what should be one distribution.</summary>
    public static (double Statistic, int DegreesOfFreedom) TwoSample(IReadOnlyDictionary<int, int> first, IReadOnlyDictionary<int, int> second)
    {
        var statistic = 0.0;
        var bins = 0;
        var pooledFirst = 0;
        var pooledSecond = 0;
        foreach (var token in first.Keys.Union(second.Keys))
        {
            var a = first.GetValueOrDefault(token);
            var b = second.GetValueOrDefault(token);
            if (a + b < 20)
            {
                pooledFirst += a;
                pooledSecond += b;
                continue;
            }

            statistic += (double)(a - b) * (a - b) / (a + b);
            bins++;
        }

        if (pooledFirst + pooledSecond > 0)
        {
            statistic += (double)(pooledFirst - pooledSecond) * (pooledFirst - pooledSecond) / (pooledFirst + pooledSecond);
            bins++;
        }

        return (statistic, Math.Max(1, bins - 1));
    }

    /// <summary>One sample against known probabilities.</summary>
    public static (double Statistic, int DegreesOfFreedom) GoodnessOfFit(IReadOnlyDictionary<int, int> observed, IReadOnlyDictionary<int, double> probabilities, int draws)
    {
        var statistic = 0.0;
        var bins = 0;
        var pooledObserved = 0;
        var pooledExpected = 0.0;
        foreach (var token in probabilities.Keys.Union(observed.Keys))
        {
            var expected = probabilities.GetValueOrDefault(token) * draws;
            var seen = observed.GetValueOrDefault(token);
            if (expected < 10)
            {
                pooledObserved += seen;
                pooledExpected += expected;
                continue;
            }

            statistic += (seen - expected) * (seen - expected) / expected;
            bins++;
        }

        if (pooledExpected > 0)
        {
            statistic += (pooledObserved - pooledExpected) * (pooledObserved - pooledExpected) / pooledExpected;
            bins++;
        }
        else if (pooledObserved > 0)
        {
            statistic = double.PositiveInfinity;
        }

        return (statistic, Math.Max(1, bins - 1));
    }

    public static double Bound(int degreesOfFreedom) => degreesOfFreedom + (6 * Math.Sqrt(2.0 * degreesOfFreedom)) + 10;

    public static void AssertSame((double Statistic, int DegreesOfFreedom) test, string what) =>
        Assert.True(
            test.Statistic < Bound(test.DegreesOfFreedom),
            $"{what}: chi-square {test.Statistic:F1} with {test.DegreesOfFreedom} degrees of freedom exceeds {Bound(test.DegreesOfFreedom):F1}.");

    public static void AssertDifferent((double Statistic, int DegreesOfFreedom) test, string what) =>
        Assert.True(
            test.Statistic > Bound(test.DegreesOfFreedom),
            $"{what}: chi-square {test.Statistic:F1} with {test.DegreesOfFreedom} degrees of freedom does not exceed {Bound(test.DegreesOfFreedom):F1}; the test cannot tell the distributions apart.");

    public static Dictionary<int, int> Count(IEnumerable<int> tokens)
    {
        var counts = new Dictionary<int, int>();
        foreach (var token in tokens)
        {
            counts[token] = counts.GetValueOrDefault(token) + 1;
        }

        return counts;
    }
}
