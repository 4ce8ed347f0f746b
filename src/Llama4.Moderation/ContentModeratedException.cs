namespace Llama4.Moderation;

/// <summary>
/// Thrown instead of a <c>ContentFilter</c> reply when content was blocked and <see cref="ModerationOptions.ThrowOnBlock"/>
/// is set. Carries the source and categories, never the content.
/// </summary>
public sealed class ContentModeratedException : Exception
{
    /// <summary>Creates an exception with a generic message.</summary>
    public ContentModeratedException()
        : base("The content was blocked by content moderation.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">The message.</param>
    public ContentModeratedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The underlying error.</param>
    public ContentModeratedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a blocking verdict.</summary>
    /// <param name="source">Where the blocked content came from.</param>
    /// <param name="verdict">The blocking verdict.</param>
    /// <param name="innerException">The moderator's failure when the block comes from the fail-closed policy; otherwise <see langword="null"/>.</param>
    public ContentModeratedException(ModerationSource source, ModerationVerdict verdict, Exception? innerException = null)
        : base(Describe(source, verdict), innerException)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        ContentSource = source;
        Categories = verdict.Categories;
        Findings = verdict.Findings;
    }

    /// <summary>Gets where the blocked content came from.</summary>
    public ModerationSource ContentSource { get; }

    /// <summary>Gets the categories that caused the block (<see cref="ModerationCategory.ModerationFailed"/> for a fail-closed block).</summary>
    public IReadOnlyList<ModerationCategory> Categories { get; } = [];

    /// <summary>Gets the findings of the blocking verdict (categories, scores, labels; never content).</summary>
    public IReadOnlyList<ModerationFinding> Findings { get; } = [];

    private static string Describe(ModerationSource source, ModerationVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return $"Content from {source} was blocked by content moderation (categories: {string.Join(", ", verdict.Categories)}).";
    }
}
