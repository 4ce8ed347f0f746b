namespace Llama4.Core.ToolCalling;

/// <summary>The offered tool names and their pythonic aliases, with the look-ups the parser needs.</summary>
internal sealed class ToolNameTable
{
    private readonly Dictionary<string, string> _realNameBySpelling = new(StringComparer.Ordinal);
    private readonly string[] _spellings;

    public ToolNameTable(IReadOnlyList<string> offeredToolNames)
    {
        ArgumentNullException.ThrowIfNull(offeredToolNames);
        Aliases = ToolNameAliases.Create(offeredToolNames);

        // Real names win over aliases; ToolNameAliases guarantees an alias never equals another real name.
        foreach (var (name, alias) in Aliases)
        {
            _realNameBySpelling.TryAdd(alias, name);
        }

        foreach (var name in Aliases.Keys)
        {
            _realNameBySpelling[name] = name;
        }

        _spellings = _realNameBySpelling.Keys.Where(s => s.Length > 0).ToArray();
        LongestSpelling = _spellings.Length == 0 ? 0 : _spellings.Max(s => s.Length);
    }

    /// <summary>Gets tool name to pythonic alias.</summary>
    public IReadOnlyDictionary<string, string> Aliases { get; }

    /// <summary>Gets the length of the longest name or alias.</summary>
    public int LongestSpelling { get; }

    /// <summary>Resolves a real name or an alias to the real name.</summary>
    public bool TryResolve(string spelling, out string realName)
    {
        if (_realNameBySpelling.TryGetValue(spelling, out var found))
        {
            realName = found;
            return true;
        }

        realName = string.Empty;
        return false;
    }

    /// <summary>
    /// Looks for offered names or aliases written at <paramref name="start"/> and followed (after optional
    /// whitespace) by <paramref name="terminator"/>.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="start">Where the name would begin.</param>
    /// <param name="terminator">The character that must follow the name.</param>
    /// <param name="name">The longest matching spelling, when found.</param>
    /// <param name="terminatorIndex">Where the terminator is, when found.</param>
    /// <param name="undecided">Set when the text ends before the answer is known.</param>
    /// <returns>
    /// <see langword="true"/> when a spelling matched; <see langword="false"/> with <paramref name="undecided"/>
    /// set when the text ends before the answer is known.
    /// </returns>
    public bool TryMatchSpelling(
        string text,
        int start,
        char terminator,
        out string name,
        out int terminatorIndex,
        out bool undecided)
    {
        name = string.Empty;
        terminatorIndex = -1;
        undecided = false;
        var available = text.Length - start;
        foreach (var spelling in _spellings)
        {
            if (available < spelling.Length)
            {
                if (string.CompareOrdinal(text, start, spelling, 0, available) == 0)
                {
                    undecided = true;
                }

                continue;
            }

            if (string.CompareOrdinal(text, start, spelling, 0, spelling.Length) != 0)
            {
                continue;
            }

            var k = start + spelling.Length;
            while (k < text.Length && (text[k] == ' ' || text[k] == '\t'))
            {
                k++;
            }

            if (k == text.Length)
            {
                undecided = true;
            }
            else if (text[k] == terminator && spelling.Length > name.Length)
            {
                name = spelling;
                terminatorIndex = k;
            }
        }

        if (undecided)
        {
            // A longer spelling could still match: decide only when the text settles it.
            name = string.Empty;
            terminatorIndex = -1;
            return false;
        }

        return name.Length > 0;
    }
}
