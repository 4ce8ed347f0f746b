namespace Llama4.Benchmarks.Measurement;

/// <summary>Median and range of repeated measurements.</summary>
internal readonly record struct Summary(double Median, double Min, double Max, int Count)
{
    /// <summary>The range relative to the median, in percent.</summary>
    public double SpreadPercent => Median > 0 ? (Max - Min) / Median * 100 : 0;

    public static Summary Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return new Summary(double.NaN, double.NaN, double.NaN, 0);
        }

        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new Summary(median, sorted[0], sorted[^1], sorted.Length);
    }
}
