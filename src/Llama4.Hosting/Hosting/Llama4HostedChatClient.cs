using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Llama4.Hosting;

/// <summary>
/// The <see cref="IChatClient"/> that <c>AddLlama4</c> registers: waits for the hosted model to be ready, then runs the
/// request on its <c>Llama4ChatClient</c>; fails with <see cref="Llama4ModelUnavailableException"/> when the model did
/// not load and with <see cref="Llama4HostStoppingException"/> once the host is stopping.
/// </summary>
internal sealed class Llama4HostedChatClient(Llama4ModelHost host) : IChatClient
{
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        using var lease = await host.AdmitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await lease.ChatClient.GetResponseAsync(messages, options, lease.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsShutdown(ex, lease, cancellationToken))
        {
            throw lease.Stopped(ex);
        }
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        using var lease = await host.AdmitAsync(cancellationToken).ConfigureAwait(false);
        var updates = lease.ChatClient.GetStreamingResponseAsync(messages, options, lease.Token).GetAsyncEnumerator(lease.Token);
        await using (updates.ConfigureAwait(false))
        {
            while (true)
            {
                ChatResponseUpdate update;
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }

                    update = updates.Current;
                }
                catch (Exception ex) when (IsShutdown(ex, lease, cancellationToken))
                {
                    throw lease.Stopped(ex);
                }

                yield return update;
            }
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        host.HostedService(this, serviceType, serviceKey, host.ChatClientService);

    public void Dispose()
    {
        // The hosted model owns the engine and the inner client, and disposes them when the host stops.
    }

    private static bool IsShutdown(Exception exception, Llama4ModelHost.RequestLease lease, CancellationToken cancellationToken) =>
        (exception is OperationCanceledException or ObjectDisposedException) && lease.IsAborted && !cancellationToken.IsCancellationRequested;
}
