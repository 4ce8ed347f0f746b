namespace Llama4.Hosting;

/// <summary>Which limit of <see cref="Llama4ResilienceOptions"/> a <see cref="Llama4TimeoutRejectedException"/> reports.</summary>
public enum Llama4TimeoutKind
{
    /// <summary><see cref="Llama4ResilienceOptions.TimeToFirstTokenTimeout"/>: no first token in time after admission.</summary>
    TimeToFirstToken,

    /// <summary><see cref="Llama4ResilienceOptions.InterTokenTimeout"/>: the stream stalled between two tokens.</summary>
    InterToken,

    /// <summary><see cref="Llama4ResilienceOptions.TotalTimeout"/>: the whole request, queue wait included, took too long.</summary>
    Total,
}
