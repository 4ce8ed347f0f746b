using System.Globalization;
using System.Text;

namespace Llama4.Core.ToolCalling;

/// <summary>
/// Gives every tool a Python identifier, so that the pythonic call style (<c>[get_weather(city="SF")]</c>) can name
/// tools whose real names are not identifiers (<c>get-weather</c>, <c>weather.get</c>, <c>Tool Name</c>).
/// </summary>
internal static class ToolNameAliases
{
    // Python 3 hard keywords. Soft keywords (match, case, type, _) are valid names.
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
        "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
        "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
    };

    /// <summary>
    /// Maps each tool name to a Python identifier. Names that already are identifiers (and not keywords) map to
    /// themselves; others are sanitised (invalid characters become <c>_</c>, a leading digit gets a <c>_</c> prefix,
    /// a keyword gets a <c>_</c> suffix, an empty name becomes <c>tool</c>) and numbered (<c>_2</c>, <c>_3</c>...)
    /// until no alias equals another tool's name or alias. The result depends only on the set of names.
    /// </summary>
    /// <param name="toolNames">The offered tool names; duplicates are ignored.</param>
    /// <returns>Tool name to alias, one entry per distinct name.</returns>
    public static IReadOnlyDictionary<string, string> Create(IReadOnlyList<string> toolNames)
    {
        ArgumentNullException.ThrowIfNull(toolNames);

        var distinct = toolNames.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var result = new Dictionary<string, string>(StringComparer.Ordinal);

        // Every real name is reserved first, so an alias never equals another tool's real name and identifier names
        // never change because of another tool.
        var taken = new HashSet<string>(distinct, StringComparer.Ordinal);
        foreach (var name in distinct)
        {
            if (IsIdentifier(name))
            {
                result[name] = name;
            }
        }

        foreach (var name in distinct)
        {
            if (result.ContainsKey(name))
            {
                continue;
            }

            var baseAlias = Sanitize(name);
            var alias = baseAlias;
            for (var n = 2; !taken.Add(alias); n++)
            {
                alias = string.Create(CultureInfo.InvariantCulture, $"{baseAlias}_{n}");
            }

            result[name] = alias;
        }

        return result;
    }

    /// <summary>Returns whether <paramref name="name"/> is a Python identifier that is not a keyword.</summary>
    /// <param name="name">The name to check.</param>
    /// <returns><see langword="true"/> when the name can be used as is in a pythonic call.</returns>
    public static bool IsIdentifier(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || Keywords.Contains(name))
        {
            return false;
        }

        var first = true;
        foreach (var rune in name.EnumerateRunes())
        {
            if (!(first ? IsIdentifierStart(rune) : IsIdentifierPart(rune)))
            {
                return false;
            }

            first = false;
        }

        return true;
    }

    /// <summary>Returns whether a character can start a Python identifier (Unicode letters, letter numbers, <c>_</c>).</summary>
    /// <param name="rune">The character.</param>
    /// <returns><see langword="true"/> when it can start an identifier.</returns>
    public static bool IsIdentifierStart(Rune rune)
    {
        if (rune.Value == '_')
        {
            return true;
        }

        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
            or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.LetterNumber;
    }

    /// <summary>Returns whether a character can continue a Python identifier (adds digits and combining marks).</summary>
    /// <param name="rune">The character.</param>
    /// <returns><see langword="true"/> when it can continue an identifier.</returns>
    public static bool IsIdentifierPart(Rune rune)
    {
        return IsIdentifierStart(rune) || Rune.GetUnicodeCategory(rune) is UnicodeCategory.DecimalDigitNumber
            or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
            or UnicodeCategory.ConnectorPunctuation;
    }

    private static string Sanitize(string name)
    {
        var builder = new StringBuilder(name.Length + 1);
        foreach (var rune in name.EnumerateRunes())
        {
            if (IsIdentifierPart(rune))
            {
                builder.Append(rune.ToString());
            }
            else
            {
                builder.Append('_');
            }
        }

        if (builder.Length == 0)
        {
            return "tool";
        }

        if (!IsIdentifierStart(Rune.GetRuneAt(builder.ToString(), 0)))
        {
            builder.Insert(0, '_');
        }

        var alias = builder.ToString();
        return Keywords.Contains(alias) ? alias + "_" : alias;
    }
}
