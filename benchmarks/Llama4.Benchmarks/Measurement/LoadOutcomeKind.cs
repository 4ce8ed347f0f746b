namespace Llama4.Benchmarks.Measurement;

/// <summary>How a request of an open-loop run ended.</summary>
internal enum LoadOutcomeKind
{
    /// <summary>It streamed its reply to the end.</summary>
    Completed,

    /// <summary>Admission control refused it (<c>Llama4AdmissionRejectedException</c>).</summary>
    Rejected,

    /// <summary>Anything else: a timeout or an error.</summary>
    Failed,
}
