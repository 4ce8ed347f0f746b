using System.Text.RegularExpressions;

namespace CodingAgent.Scripting;

/// <summary>
/// A non-interactive conversation (<c>--script FILE</c>). One instruction per line:
/// <list type="bullet">
/// <item><c>user: TEXT</c>: a user turn; the model decides whether to call tools (Auto).</item>
/// <item><c>user[TOOL]: TEXT</c>: a user turn whose first model call must call TOOL
/// (<c>ChatToolMode.RequireSpecific</c>: the library grammar-constrains the reply to a schema-valid call of it).</item>
/// <item><c>approve</c> / <c>deny</c>: answers the turn's next approval request (write, patch or run), in order.</item>
/// <item>Blank lines and lines starting with <c>#</c> are ignored.</item>
/// </list>
/// An approval request with no answer left is denied.
/// </summary>
internal static partial class AgentScript
{
    /// <summary>Parses a script.</summary>
    /// <param name="lines">The script's lines.</param>
    /// <param name="toolNames">The tools a <c>user[TOOL]</c> line may name.</param>
    /// <returns>The turns, in order.</returns>
    /// <exception cref="FormatException">A line is not one of the forms above; the message names the line and the forms.</exception>
    public static IReadOnlyList<ScriptTurn> Parse(IReadOnlyList<string> lines, IReadOnlyCollection<string> toolNames)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(toolNames);
        var turns = new List<ScriptTurn>();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].Trim();
            var number = i + 1;
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line is "approve" or "deny")
            {
                if (turns.Count == 0)
                {
                    throw new FormatException($"Script line {number}: '{line}' comes before any 'user:' line; an answer belongs to the turn above it.");
                }

                var last = turns[^1];
                turns[^1] = last with { Approvals = [.. last.Approvals, line == "approve"] };
                continue;
            }

            var match = UserLine().Match(line);
            if (!match.Success)
            {
                throw new FormatException(
                    $"Script line {number}: '{line}' is not a script line. Use 'user: TEXT', 'user[TOOL]: TEXT' (forces a call of TOOL), 'approve', 'deny', or '#' for a comment.");
            }

            var tool = match.Groups["tool"].Success ? match.Groups["tool"].Value : null;
            if (tool is not null && !toolNames.Contains(tool))
            {
                throw new FormatException($"Script line {number}: there is no tool '{tool}'; the tools are {string.Join(", ", toolNames)}.");
            }

            var text = match.Groups["text"].Value.Trim();
            if (text.Length == 0)
            {
                throw new FormatException($"Script line {number}: the user turn has no text; write what the user says after the colon.");
            }

            turns.Add(new ScriptTurn(number, text, tool, []));
        }

        if (turns.Count == 0)
        {
            throw new FormatException("The script has no 'user:' line; add at least one turn.");
        }

        return turns;
    }

    [GeneratedRegex(@"^user(?:\[(?<tool>[a-z_]+)\])?\s*:(?<text>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex UserLine();
}
