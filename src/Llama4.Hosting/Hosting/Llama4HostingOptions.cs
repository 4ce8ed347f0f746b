namespace Llama4.Hosting;

/// <summary>
/// How the generic host loads, warms up and stops the Llama 4 model. Bound from the configuration section
/// <c>Llama4:Hosting</c> by <c>AddLlama4</c>.
/// </summary>
public sealed class Llama4HostingOptions
{
    /// <summary>The default <see cref="ShutdownDrainTimeout"/>: ten seconds, well inside the host's default 30-second shutdown timeout.</summary>
    public static readonly TimeSpan DefaultShutdownDrainTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gets or sets whether the model generates one token after loading, before it reports ready, so that the first
    /// request does not pay for llama.cpp's first-decode allocations. Default <see langword="true"/>.
    /// </summary>
    public bool WarmUp { get; set; } = true;

    /// <summary>
    /// Gets or sets how long shutdown waits for requests in flight to finish before it cancels them with
    /// <see cref="Llama4HostStoppingException"/>. Default <see cref="DefaultShutdownDrainTimeout"/>; zero cancels at once.
    /// </summary>
    public TimeSpan ShutdownDrainTimeout { get; set; } = DefaultShutdownDrainTimeout;
}
