using System.Runtime.CompilerServices;
using Llama4.Benchmarks.Measurement;
using LLama.Abstractions;

namespace Llama4.Benchmarks.Subjects;

/// <summary>
/// Wraps the output transform that LLamaSharp's <c>AsChatClient()</c> uses by default and reports every piece the
/// executor yields to <see cref="Timer"/>: <c>StatelessExecutor</c> yields one piece per sampled token (the
/// end-of-generation token excluded), empty while a UTF-8 character is incomplete. <c>AsChatClient()</c> reports no
/// usage, so this is the only token count it offers. One stream at a time per instance.
/// </summary>
internal sealed class TokenCountingTransform(ITextStreamTransform inner) : ITextStreamTransform
{
    /// <summary>Gets or sets the timer of the request being streamed.</summary>
    public RequestTimer? Timer { get; set; }

    public IAsyncEnumerable<string> TransformAsync(IAsyncEnumerable<string> tokens) => inner.TransformAsync(CountAsync(tokens));

    public ITextStreamTransform Clone() => new TokenCountingTransform(inner.Clone());

    private async IAsyncEnumerable<string> CountAsync(IAsyncEnumerable<string> tokens, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var token in tokens.WithCancellation(cancellationToken))
        {
            Timer?.Token(token.Length > 0);
            yield return token;
        }
    }
}
