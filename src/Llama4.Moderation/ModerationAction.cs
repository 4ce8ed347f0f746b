namespace Llama4.Moderation;

/// <summary>What a moderation verdict asks the caller to do with the text.</summary>
public enum ModerationAction
{
    /// <summary>Pass the text on unchanged.</summary>
    Allow,

    /// <summary>Pass on <see cref="ModerationVerdict.RedactedText"/> instead of the text.</summary>
    Redact,

    /// <summary>Do not pass the text on.</summary>
    Block,
}
