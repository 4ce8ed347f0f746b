namespace Llama4.Moderation.Tests.TestDoubles;

/// <summary>A moderator whose verdict comes from a delegate; counts and records its calls.</summary>
public sealed class DelegateModerator(Func<ModerationRequest, CancellationToken, ValueTask<ModerationVerdict>> moderate) : IContentModerator
{
    private int _calls;

    /// <summary>Gets how many times it was called.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Gets the requests it received.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<ModerationRequest> Requests { get; } = new();

    /// <summary>A moderator that throws.</summary>
    public static DelegateModerator Throwing() => new((_, _) => throw new InvalidOperationException("The moderation backend is down."));

    /// <summary>A moderator that never answers and ignores cancellation.</summary>
    public static DelegateModerator Hanging() => new((_, _) => new ValueTask<ModerationVerdict>(new TaskCompletionSource<ModerationVerdict>().Task));

    /// <summary>A moderator that blocks text containing a marker word.</summary>
    public static DelegateModerator BlockingWord(string word, ModerationCategory category = ModerationCategory.Custom) =>
        new((request, _) => ValueTask.FromResult(request.Text.Contains(word, StringComparison.OrdinalIgnoreCase)
            ? ModerationVerdict.Block([new ModerationFinding(category, 1, "test-rule")])
            : ModerationVerdict.Allowed));

    /// <inheritdoc />
    public ValueTask<ModerationVerdict> ModerateAsync(ModerationRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        Requests.Enqueue(request);
        return moderate(request, cancellationToken);
    }
}
