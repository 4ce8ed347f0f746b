namespace Llama4.TinyModel.Internal;

/// <summary>
/// xoshiro256** seeded through SplitMix64: a small, fast generator whose output depends only on the seed, so every
/// process on every platform writes the same bytes (System.Random's algorithm is not a stable contract, and the C
/// runtime's transcendental functions may differ in the last bit between platforms).
/// </summary>
internal sealed class Xoshiro256StarStar
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;
    private double _spare;
    private bool _hasSpare;

    /// <summary>Creates a generator whose state is expanded from <paramref name="seed"/> with SplitMix64.</summary>
    public Xoshiro256StarStar(ulong seed)
    {
        ulong state = seed;
        _s0 = SplitMix64(ref state);
        _s1 = SplitMix64(ref state);
        _s2 = SplitMix64(ref state);
        _s3 = SplitMix64(ref state);
    }

    /// <summary>One SplitMix64 step: advances <paramref name="state"/> and returns a well-mixed value.</summary>
    public static ulong SplitMix64(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        ulong z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Mixes several values into one seed (order-sensitive).</summary>
    public static ulong Mix(ulong a, ulong b, ulong c)
    {
        ulong state = a;
        ulong x = SplitMix64(ref state) ^ b;
        state = x;
        x = SplitMix64(ref state) ^ c;
        state = x;
        return SplitMix64(ref state);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform double in [-1, 1).</summary>
    public double NextSignedUnit() => ((NextUInt64() >> 11) * (1.0 / 9007199254740992.0) * 2.0) - 1.0;

    /// <summary>
    /// A standard normal sample by Marsaglia's polar method (the second value of each pair is kept for the next call).
    /// Only IEEE-exact operations (+, -, *, /, sqrt) are used, with <see cref="DeterministicMath.Log"/> instead of the C
    /// runtime's <c>log</c>, so every platform produces the same bits.
    /// </summary>
    public double NextStandardNormal()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }

        double u;
        double v;
        double s;
        do
        {
            u = NextSignedUnit();
            v = NextSignedUnit();
            s = (u * u) + (v * v);
        }
        while (s >= 1.0 || s == 0.0);

        double factor = Math.Sqrt(-2.0 * DeterministicMath.Log(s) / s);
        _spare = v * factor;
        _hasSpare = true;
        return u * factor;
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
