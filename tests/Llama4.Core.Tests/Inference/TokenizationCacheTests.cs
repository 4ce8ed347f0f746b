using Llama4.Core.Inference;
using LLama.Native;

namespace Llama4.Core.Tests.Inference;

public sealed class TokenizationCacheTests
{
    [Fact]
    public void Get_SameTextTwice_TokenizesOnce()
    {
        var calls = 0;
        var cache = new TokenizationCache(new PlainTextTokenizer(text => { calls++; return [(LLamaToken)text.Length]; }));

        var first = cache.Get("hello");
        var second = cache.Get("hello");

        Assert.Equal(1, calls);
        Assert.Same(first, second);
    }

    [Fact]
    public void Get_OverCharacterBudget_StartsOverAndStaysCorrect()
    {
        var calls = 0;
        var cache = new TokenizationCache(new PlainTextTokenizer(text => { calls++; return [(LLamaToken)text.Length]; }), maxCharacters: 160);

        for (var i = 0; i < 40; i++)
        {
            Assert.Equal(10, (int)cache.Get($"text-{i:D5}")[0]);
        }

        Assert.Equal(40, calls);
        Assert.InRange(cache.Count, 1, 16);
    }

    [Fact]
    public void Get_TextLargerThanItsShare_IsNotCached()
    {
        var calls = 0;
        var cache = new TokenizationCache(new PlainTextTokenizer(text => { calls++; return []; }), maxCharacters: 160);

        cache.Get(new string('x', 100));
        cache.Get(new string('x', 100));

        Assert.Equal(2, calls);
        Assert.Equal(0, cache.Count);
    }
}
