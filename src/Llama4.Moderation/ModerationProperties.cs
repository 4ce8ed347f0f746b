using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Llama4.Moderation;

/// <summary>
/// Keys of the moderation entries in <c>AdditionalProperties</c> of responses, updates and messages. Values are plain
/// JSON-serialisable values, so they survive a JSON round trip (read them with the helpers in
/// <c>ModerationChatExtensions</c>).
/// </summary>
public static class ModerationProperties
{
    /// <summary>
    /// On the final update of a blocked stream with <see cref="StreamingBlockBehavior.Retract"/>: <see langword="true"/>
    /// tells the consumer to discard all text shown so far and display only this update's text.
    /// </summary>
    public const string Retract = "llama4.moderation.retract";

    /// <summary>On a response or update that moderation blocked: the names of the categories (a string array).</summary>
    public const string Categories = "llama4.moderation.categories";

    /// <summary>On a response or update that moderation blocked: what was blocked (<see cref="ModerationSource"/> name).</summary>
    public const string BlockedSource = "llama4.moderation.source";

    /// <summary>
    /// On a request message: the <see cref="ModerationSource"/> name to check it as, for example <c>Document</c> for
    /// retrieved context placed in a user or system message. System messages are checked only when marked.
    /// </summary>
    public const string MessageSource = "llama4.moderation.message_source";

    /// <summary>Reads the retraction marker (also after a JSON round trip).</summary>
    /// <param name="properties">The additional properties of an update or response.</param>
    /// <returns><see langword="true"/> when the consumer must discard the text shown so far.</returns>
    public static bool IsRetraction(AdditionalPropertiesDictionary? properties) =>
        properties?.TryGetValue(Retract, out var value) == true && value switch
        {
            bool flag => flag,
            JsonElement { ValueKind: JsonValueKind.True } => true,
            _ => false,
        };

    /// <summary>Reads the categories of a moderation block (also after a JSON round trip).</summary>
    /// <param name="properties">The additional properties of an update or response.</param>
    /// <returns>The categories; empty when moderation did not block.</returns>
    public static IReadOnlyList<ModerationCategory> GetCategories(AdditionalPropertiesDictionary? properties)
    {
        if (properties?.TryGetValue(Categories, out var value) != true)
        {
            return [];
        }

        IEnumerable<string?> names = value switch
        {
            IEnumerable<string> strings => strings,
            JsonElement { ValueKind: JsonValueKind.Array } array => array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : null),
            _ => [],
        };
        return [.. names.Select(n => Enum.TryParse<ModerationCategory>(n, out var category) ? (ModerationCategory?)category : null).OfType<ModerationCategory>()];
    }
}
