namespace Llama4.Moderation;

/// <summary>Options of <see cref="TopicalModerator"/>.</summary>
public sealed class TopicalModeratorOptions
{
    /// <summary>Gets the topics the application serves. At least one is required.</summary>
    public IList<AllowedTopic> Topics { get; } = [];

    /// <summary>
    /// Gets or sets the number of words below which a message is not judged (greetings, "thanks", "yes please").
    /// Default 4.
    /// </summary>
    public int MinimumWords { get; set; } = 4;

    /// <summary>Gets the sources checked. Default: user messages.</summary>
    public ISet<ModerationSource> Sources { get; } = new HashSet<ModerationSource> { ModerationSource.User };

    /// <summary>Checks the options.</summary>
    /// <returns>One message per invalid setting; empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Topics.Count == 0)
        {
            errors.Add("Topics is empty: add the topics the application serves (each with keywords).");
        }

        foreach (var topic in Topics)
        {
            if (topic is null || string.IsNullOrWhiteSpace(topic.Name))
            {
                errors.Add("Every topic needs a name.");
            }
            else if (topic.Keywords.Count == 0 || topic.Keywords.Any(string.IsNullOrWhiteSpace))
            {
                errors.Add($"Topic '{topic.Name}' needs at least one keyword and no empty keywords.");
            }
        }

        if (MinimumWords < 0)
        {
            errors.Add($"MinimumWords must not be negative (was {MinimumWords}).");
        }

        if (Sources.Count == 0)
        {
            errors.Add("Sources is empty: the moderator would check nothing.");
        }

        return errors;
    }
}
