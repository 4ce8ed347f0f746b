using System.Text;
using LLama;
using LLama.Native;

namespace Llama4.Benchmarks.Subjects;

/// <summary>
/// The tokens that end a raw loop's generation, as they end the engine's: <c>&lt;|eot|&gt;</c>, <c>&lt;|eom|&gt;</c> and
/// <c>&lt;|end_of_text|&gt;</c>, plus llama.cpp's own end-of-generation set.
/// </summary>
internal sealed class EndOfGeneration
{
    private readonly LLamaWeights _weights;
    private readonly HashSet<LLamaToken> _tokens = [];

    public EndOfGeneration(LLamaWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        _weights = weights;
        foreach (var text in new[] { "<|eot|>", "<|eom|>", "<|end_of_text|>" })
        {
            var tokens = weights.Tokenize(text, false, true, Encoding.UTF8);
            if (tokens.Length == 1 && tokens[0].IsControl(weights.Vocab))
            {
                _tokens.Add(tokens[0]);
            }
        }
    }

    public bool IsEnd(LLamaToken token) => _tokens.Contains(token) || token.IsEndOfGeneration(_weights.Vocab);
}
