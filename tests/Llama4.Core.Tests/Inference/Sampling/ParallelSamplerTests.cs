using Llama4.Core.Inference.Sampling;

namespace Llama4.Core.Tests.Inference.Sampling;

/// <summary>Eight sequences of one decode step, drawn on several threads, give exactly the tokens one thread gives.</summary>
[Collection(RealVocabularyContextGroup.Name)]
public sealed class ParallelSamplerTests(RealVocabularyContextFixture model)
{
    [Fact]
    public void Run_FourThreads_DrawsTheSameTokensAsOneThread()
    {
        var serial = Generate(threads: 1, steps: 24);
        var parallel = Generate(threads: 4, steps: 24);

        Assert.Equal(serial.Length, parallel.Length);
        for (var sequence = 0; sequence < serial.Length; sequence++)
        {
            Assert.Equal(serial[sequence], parallel[sequence]);
        }

        // The sequences differ from each other (different logits, seeds and chains): the comparison is not trivial.
        Assert.True(serial.Select(s => string.Join(',', s)).Distinct().Count() > 4);
    }

    [Fact]
    public void Add_LogitsOfAnotherLength_Throws()
    {
        var sampler = new ParallelSampler(2, model.VocabularySize, () => throw new InvalidOperationException());

        Assert.Throws<ArgumentException>(() => sampler.Add(new SequenceSampler(ChainSamplerTests.SettingsFor("meta"), null), new float[10]));
    }

    private int[][] Generate(int threads, int steps)
    {
        var prefixes = new Lazy<TokenPrefixes>(() => TokenPrefixes.Build(model.Weights.NativeHandle, model.VocabularySize));
        var pool = new ParallelSampler(threads, model.VocabularySize, () => prefixes.Value);
        string[] chains = ["meta", "top-k 40", "penalties", "meta", "min-p 0.05", "meta", "top-k 1000", "no truncation"];
        var samplers = new SequenceSampler[model.SequenceCount];
        for (var i = 0; i < samplers.Length; i++)
        {
            var grammar = i switch
            {
                3 => new GrammarConstraint(model.Weights.NativeHandle, TokenPrefixesTests.GrammarFor("json schema")),
                5 => new GrammarConstraint(model.Weights.NativeHandle, TokenPrefixesTests.GrammarFor("words")),
                _ => null,
            };
            samplers[i] = new SequenceSampler(ChainSamplerTests.SettingsFor(chains[i]) with { Seed = (ulong)(100 + i) }, grammar);
        }

        var tokens = samplers.Select(_ => new int[steps]).ToArray();
        for (var step = 0; step < steps; step++)
        {
            for (var i = 0; i < samplers.Length; i++)
            {
                pool.Add(samplers[i], model.LogitsOf(i));
            }

            pool.Run();
            for (var i = 0; i < samplers.Length; i++)
            {
                Assert.Null(samplers[i].Failure);
                tokens[i][step] = samplers[i].TakeDrawn();
            }
        }

        foreach (var sampler in samplers)
        {
            sampler.Dispose();
        }

        return tokens;
    }
}
