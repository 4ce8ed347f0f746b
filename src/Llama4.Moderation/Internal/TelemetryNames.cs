using System.Text;

namespace Llama4.Moderation.Internal;

/// <summary>Snake-case names of the moderation enums, computed once, for metric tags and logs.</summary>
internal static class TelemetryNames
{
    private static readonly Dictionary<ModerationSource, string> Sources = Names<ModerationSource>();
    private static readonly Dictionary<ModerationAction, string> Actions = Names<ModerationAction>();
    private static readonly Dictionary<ModerationCategory, string> CategoryNames = Names<ModerationCategory>();

    public static string Of(ModerationSource source) => Sources.TryGetValue(source, out var name) ? name : "unknown";

    public static string Of(ModerationAction action) => Actions.TryGetValue(action, out var name) ? name : "unknown";

    public static string Of(ModerationCategory category) => CategoryNames.TryGetValue(category, out var name) ? name : "unknown";

    public static string ToSnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0)
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static Dictionary<T, string> Names<T>()
        where T : struct, Enum =>
        Enum.GetValues<T>().ToDictionary(v => v, v => ToSnakeCase(v.ToString()));
}
