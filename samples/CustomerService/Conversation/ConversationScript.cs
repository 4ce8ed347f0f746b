namespace CustomerService.Conversation;

/// <summary>
/// Parses conversation scripts, one command per line:
/// <list type="bullet">
/// <item><c>user: TEXT</c>: the customer says TEXT.</item>
/// <item><c>user[TOOL]: TEXT</c>: the same, and this turn forces the model to call TOOL (a plugin-qualified tool name,
/// for example <c>customers_get_order_status</c>) with <c>ChatToolMode.RequireSpecific</c>.</item>
/// <item><c>approve</c> / <c>deny</c>: the human's decision on the pending approval request.</item>
/// <item><c>restart</c>: the sample saves, disposes the agent and starts again from the data folder.</item>
/// <item>blank lines and lines starting with <c>#</c> are ignored.</item>
/// </list>
/// </summary>
internal static class ConversationScript
{
    public static IReadOnlyList<ScriptCommand> Parse(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var commands = new List<ScriptCommand>();
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            commands.Add(line.ToUpperInvariant() switch
            {
                "APPROVE" => new ScriptCommand(ScriptCommandKind.Approve, number),
                "DENY" => new ScriptCommand(ScriptCommandKind.Deny, number),
                "RESTART" => new ScriptCommand(ScriptCommandKind.Restart, number),
                _ => ParseUser(line, number),
            });
        }

        return commands;
    }

    public static IReadOnlyList<ScriptCommand> Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The script file '{path}' does not exist; pass --script with the path of a conversation script (see samples/CustomerService/demo.script).", path);
        }

        return Parse(File.ReadAllLines(path));
    }

    private static ScriptCommand ParseUser(string line, int number)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || !line.StartsWith("user", StringComparison.OrdinalIgnoreCase))
        {
            throw new ScriptFormatException(number, $"'{line}' is not a command.");
        }

        var head = line[..colon].Trim();
        var text = line[(colon + 1)..].Trim();
        if (text.Length == 0)
        {
            throw new ScriptFormatException(number, "the user turn has no text after ':'.");
        }

        if (head.Equals("user", StringComparison.OrdinalIgnoreCase))
        {
            return new ScriptCommand(ScriptCommandKind.User, number, text);
        }

        if (head.Length > "user[]".Length && head[4] == '[' && head[^1] == ']')
        {
            var tool = head[5..^1].Trim();
            if (tool.Length > 0 && !tool.Any(char.IsWhiteSpace))
            {
                return new ScriptCommand(ScriptCommandKind.User, number, text, tool);
            }
        }

        throw new ScriptFormatException(number, $"'{head}' is neither 'user' nor 'user[TOOL]' with one tool name.");
    }
}
