using Microsoft.Extensions.AI;

namespace Llama4.Hosting;

/// <summary>
/// The embedding generator that <c>AddLlama4</c> registers: waits for the hosted model, then runs on its
/// <c>Llama4EmbeddingGenerator</c>, over the same engine as the chat client.
/// </summary>
internal sealed class Llama4HostedEmbeddingGenerator(Llama4ModelHost host) : IEmbeddingGenerator<string, Embedding<float>>
{
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        using var lease = await host.AdmitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await lease.EmbeddingGenerator.GenerateAsync(values, options, lease.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when ((ex is OperationCanceledException or ObjectDisposedException) && lease.IsAborted && !cancellationToken.IsCancellationRequested)
        {
            throw lease.Stopped(ex);
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        host.HostedService(this, serviceType, serviceKey, host.EmbeddingGeneratorService);

    public void Dispose()
    {
        // The hosted model owns the engine and the inner generator, and disposes them when the host stops.
    }
}
