using System.Text;

namespace Llama4.TinyModel.Internal;

/// <summary>FNV-1a over UTF-8: a process-independent hash (string.GetHashCode is randomised per process).</summary>
internal static class StableHash
{
    public static ulong Fnv1a64(string text)
    {
        ulong hash = 0xCBF29CE484222325UL;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= 0x100000001B3UL;
        }

        return hash;
    }
}
