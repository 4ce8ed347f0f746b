namespace Llama4.Hosting;

/// <summary>Where the hosted Llama 4 model is in its life (<see cref="Llama4ModelStatus.State"/>).</summary>
public enum Llama4ModelState
{
    /// <summary>The host has not started yet; requests wait.</summary>
    NotStarted = 0,

    /// <summary>The model is being validated, loaded and warmed up; requests wait.</summary>
    Loading = 1,

    /// <summary>The model serves requests.</summary>
    Ready = 2,

    /// <summary>The model could not be loaded (<see cref="Llama4ModelStatus.Failure"/> says why); requests fail with <see cref="Llama4ModelUnavailableException"/>.</summary>
    Failed = 3,

    /// <summary>The host is stopping: new requests fail with <see cref="Llama4HostStoppingException"/>, requests in flight drain.</summary>
    Stopping = 4,

    /// <summary>The clients and the engine are disposed.</summary>
    Stopped = 5,
}
