using System.Reflection;
using Llama4.Core;
using Llama4.Extensions.AI;
using Microsoft.Extensions.Configuration;

namespace Llama4.Hosting;

/// <summary>
/// The keys that the <c>Llama4</c> configuration section binds: the root binds <see cref="Llama4EngineOptions"/>, and
/// the sub-sections <see cref="ChatClientSection"/>, <see cref="ResilienceSection"/> and <see cref="HostingSection"/>
/// bind their options. Finds keys that bind to nothing and suggests the nearest known key.
/// </summary>
internal static class Llama4ConfigurationSchema
{
    /// <summary>The sub-section bound to <see cref="Llama4ChatClientOptions"/>.</summary>
    public const string ChatClientSection = "ChatClient";

    /// <summary>The sub-section bound to <see cref="Llama4ResilienceOptions"/>.</summary>
    public const string ResilienceSection = "Resilience";

    /// <summary>The sub-section bound to <see cref="Llama4HostingOptions"/>.</summary>
    public const string HostingSection = "Hosting";

    private static readonly Dictionary<string, Type?> RootKeys = CreateRootKeys();

    /// <summary>Returns one message per key under <paramref name="section"/> that binds to nothing, with a suggestion.</summary>
    public static IEnumerable<string> FindUnknownKeys(IConfiguration section, string path) => FindUnknownKeys(section, path, RootKeys);

    private static IEnumerable<string> FindUnknownKeys(IConfiguration section, string path, Dictionary<string, Type?> known)
    {
        foreach (var child in section.GetChildren())
        {
            var key = Llama4ConfigurationValidator.Key(path, child.Key);
            if (!known.TryGetValue(child.Key, out var nested))
            {
                var suggestion = Nearest(child.Key, known.Keys);
                var where = path.Length == 0 ? "the Llama 4 configuration" : path;
                yield return suggestion is null
                    ? $"{key} is not a known setting of {where}; the known settings are {string.Join(", ", known.Keys.Order(StringComparer.Ordinal))}."
                    : $"{key} is not a known setting of {where}; did you mean {Llama4ConfigurationValidator.Key(path, suggestion)}?";
                continue;
            }

            if (nested is not null)
            {
                foreach (var message in FindUnknownKeys(child, key, KeysOf(nested)))
                {
                    yield return message;
                }
            }
        }
    }

    private static Dictionary<string, Type?> CreateRootKeys()
    {
        var keys = KeysOf(typeof(Llama4EngineOptions));
        keys[ChatClientSection] = typeof(Llama4ChatClientOptions);
        keys[ResilienceSection] = typeof(Llama4ResilienceOptions);
        keys[HostingSection] = typeof(Llama4HostingOptions);
        return keys;
    }

    /// <summary>
    /// The bindable properties of <paramref name="type"/>: public, settable, not of an interface type (the binder cannot
    /// create one). The value is the type to check below the key when the property is itself an object of settings.
    /// </summary>
    private static Dictionary<string, Type?> KeysOf(Type type)
    {
        var keys = new Dictionary<string, Type?>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is not { IsPublic: true } || property.GetIndexParameters().Length > 0 || property.PropertyType.IsInterface)
            {
                continue;
            }

            var valueType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var isObject = valueType.IsClass && valueType != typeof(string);
            keys[property.Name] = isObject ? valueType : null;
        }

        return keys;
    }

    private static string? Nearest(string key, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Distance(key.ToUpperInvariant(), candidate.ToUpperInvariant());
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        // A typo changes a few letters; anything further is a different word, and a suggestion would mislead.
        return bestDistance <= Math.Max(2, key.Length / 3) ? best : null;
    }

    /// <summary>The Levenshtein distance: insertions, deletions and substitutions that turn one string into the other.</summary>
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
