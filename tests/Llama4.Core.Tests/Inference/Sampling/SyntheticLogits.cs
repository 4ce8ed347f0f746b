namespace Llama4.Core.Tests.Inference.Sampling;

/// <summary>
/// Logits shaped like a trained model's: a few strong candidates, a long tail falling off with rank, noise, and token
/// ids shuffled so that rank and id are unrelated. Values are distinct (no ties), so that every cut keeps the same
/// tokens in llama.cpp's sort and in the fast sampler.
/// </summary>
internal static class SyntheticLogits
{
    public static float[] Create(int vocabulary, int seed, float scale = 6f, float falloff = 0.02f)
    {
        var random = new Random(seed);
        var logits = new float[vocabulary];
        for (var rank = 0; rank < vocabulary; rank++)
        {
            var value = (scale * MathF.Exp(-falloff * rank)) - (0.0005f * rank) + ((float)random.NextDouble() * 0.25f);
            logits[rank] = value;
        }

        // Nudge any value rounding onto an earlier one down by one ulp: every logit is distinct.
        var seen = new HashSet<float>();
        for (var rank = 0; rank < vocabulary; rank++)
        {
            while (!seen.Add(logits[rank]))
            {
                logits[rank] = MathF.BitDecrement(logits[rank]);
            }
        }

        var ids = Enumerable.Range(0, vocabulary).ToArray();
        random.Shuffle(ids);
        var shuffled = new float[vocabulary];
        for (var i = 0; i < vocabulary; i++)
        {
            shuffled[ids[i]] = logits[i];
        }

        return shuffled;
    }
}
