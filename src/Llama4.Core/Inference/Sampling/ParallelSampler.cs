using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Llama4.Core.Inference.Sampling;

/// <summary>
/// Draws the next token of every sequence of a decode step, on up to <see cref="Threads"/> threads at once (the
/// inference loop's thread included). The loop first hands over each sequence's logits (<see cref="Add"/>: read on the
/// loop thread, because llama.cpp reorders its output buffer on the first read after a decode), then <see cref="Run"/>
/// draws them all. A sequence's draw depends only on its own logits, random source, penalty window and grammar, so the
/// tokens are the same whatever the thread count. The logits stay valid until the next decode, which waits for
/// <see cref="Run"/>. Owned by the inference loop: not thread-safe itself.
/// </summary>
internal sealed class ParallelSampler
{
    private readonly int _vocabularySize;
    private readonly Func<TokenPrefixes> _prefixes;
    private readonly List<(SequenceSampler Sampler, nint Logits)> _jobs = [];
    private readonly Stack<SamplingWorkspace> _workspaces = new();
    private readonly Lock _workspacesLock = new();
    private readonly ParallelOptions _parallelOptions;
    private readonly Action<int> _drawOne;

    /// <param name="threads">The most threads drawing at once, at least 1.</param>
    /// <param name="vocabularySize">The length of every row of logits.</param>
    /// <param name="prefixes">The vocabulary's prefix table for grammar checks, built on first use (thread-safe).</param>
    public ParallelSampler(int threads, int vocabularySize, Func<TokenPrefixes> prefixes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentNullException.ThrowIfNull(prefixes);
        Threads = threads;
        _vocabularySize = vocabularySize;
        _prefixes = prefixes;
        _parallelOptions = new ParallelOptions { MaxDegreeOfParallelism = threads };
        _drawOne = DrawOne;
    }

    public int Threads { get; }

    /// <summary>Queues a draw; <paramref name="logits"/> must be llama.cpp's own buffer (native memory), valid until the next decode.</summary>
    public void Add(SequenceSampler sampler, ReadOnlySpan<float> logits)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        if (logits.Length != _vocabularySize)
        {
            throw new ArgumentException($"Expected {_vocabularySize} logits, got {logits.Length}.", nameof(logits));
        }

        unsafe
        {
            _jobs.Add((sampler, (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(logits))));
        }
    }

    /// <summary>Draws every queued sequence's token (each sampler keeps its token or failure), then clears the queue.</summary>
    public void Run()
    {
        try
        {
            if (_jobs.Count == 1 || Threads == 1)
            {
                for (var i = 0; i < _jobs.Count; i++)
                {
                    DrawOne(i);
                }
            }
            else if (_jobs.Count > 1)
            {
                Parallel.For(0, _jobs.Count, _parallelOptions, _drawOne);
            }
        }
        finally
        {
            _jobs.Clear();
        }
    }

    private void DrawOne(int index)
    {
        var (sampler, logits) = _jobs[index];
        var workspace = Rent();
        try
        {
            unsafe
            {
                sampler.DrawPending(new ReadOnlySpan<float>((void*)logits, _vocabularySize), workspace, _prefixes);
            }
        }
        finally
        {
            Return(workspace);
        }
    }

    private SamplingWorkspace Rent()
    {
        lock (_workspacesLock)
        {
            if (_workspaces.TryPop(out var workspace))
            {
                return workspace;
            }
        }

        return new SamplingWorkspace(_vocabularySize);
    }

    private void Return(SamplingWorkspace workspace)
    {
        lock (_workspacesLock)
        {
            _workspaces.Push(workspace);
        }
    }
}
