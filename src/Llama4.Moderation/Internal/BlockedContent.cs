using Microsoft.Extensions.AI;

namespace Llama4.Moderation.Internal;

/// <summary>Content that was blocked: where it came from and the verdict.</summary>
internal sealed record BlockedContent(ModerationSource Source, ModerationVerdict Verdict)
{
    /// <summary>Throws <see cref="ContentModeratedException"/> when the policy asks for throwing instead of a ContentFilter reply.</summary>
    public void ThrowIfAsked(ModerationOptions options)
    {
        if (options.ThrowOnBlock)
        {
            throw new ContentModeratedException(Source, Verdict);
        }
    }

    /// <summary>The properties a blocked response or update carries (categories, source, and the retraction marker).</summary>
    public AdditionalPropertiesDictionary Describe(bool retract)
    {
        var properties = new AdditionalPropertiesDictionary
        {
            [ModerationProperties.Categories] = Verdict.Categories.Select(c => c.ToString()).ToArray(),
            [ModerationProperties.BlockedSource] = Source.ToString(),
        };
        if (retract)
        {
            properties[ModerationProperties.Retract] = true;
        }

        return properties;
    }
}
