namespace Llama4.Moderation;

/// <summary>A topic the application serves, recognised by its keywords.</summary>
public sealed class AllowedTopic
{
    /// <summary>Gets or sets the topic's name (for configuration and diagnostics). Required.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>
    /// Gets the keywords. A keyword matches a whole word or the start of one (<c>invoice</c> matches <c>invoices</c>),
    /// without regard to case; a keyword with spaces matches that phrase.
    /// </summary>
    public IList<string> Keywords { get; } = [];
}
