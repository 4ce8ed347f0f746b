using System.Text;

namespace Llama4.Core.ToolCalling;

/// <summary>
/// Finds the end of a JSON or Python bracketed value without parsing it: brackets are counted outside string
/// literals. The real parse runs once the value is closed.
/// </summary>
internal static class BracketScanner
{
    /// <summary>The rendering of Llama 4's <c>&lt;|python_end|&gt;</c> control token.</summary>
    public const string PythonEnd = "<|python_end|>";

    /// <summary>The rendering of Llama 4's <c>&lt;|python_start|&gt;</c> control token.</summary>
    public const string PythonStart = "<|python_start|>";

    /// <summary>Scans from the opening bracket at <paramref name="start"/>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="start">Index of <c>{</c>, <c>[</c> or <c>(</c>.</param>
    /// <param name="python">Python string rules (single, double and triple quotes) instead of JSON's.</param>
    /// <returns>The extent.</returns>
    public static BracketExtent Scan(string text, int start, bool python)
    {
        var stack = new StringBuilder();
        var i = start;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '<' && string.CompareOrdinal(text, i, PythonEnd, 0, PythonEnd.Length) == 0)
            {
                return new BracketExtent(BracketExtentStatus.Terminated, i, Closers(stack), false);
            }

            if (c == '"' || (python && c == '\''))
            {
                var end = SkipString(text, i, python, out var terminatedAt);
                if (terminatedAt >= 0)
                {
                    return new BracketExtent(BracketExtentStatus.Terminated, terminatedAt, Closers(stack), true);
                }

                if (end < 0)
                {
                    return new BracketExtent(BracketExtentStatus.Incomplete, text.Length, Closers(stack), true);
                }

                i = end;
                continue;
            }

            switch (c)
            {
                case '{':
                    stack.Append('}');
                    break;
                case '[':
                    stack.Append(']');
                    break;
                case '(':
                    stack.Append(')');
                    break;
                case '}' or ']' or ')':
                    if (stack.Length == 0 || stack[^1] != c || stack.Length == 1)
                    {
                        // Closed, or a mismatched closer: either way the value ends here.
                        return new BracketExtent(BracketExtentStatus.Closed, i + 1, string.Empty, false);
                    }

                    stack.Length--;
                    break;
                default:
                    break;
            }

            i++;
        }

        return new BracketExtent(BracketExtentStatus.Incomplete, text.Length, Closers(stack), false);
    }

    // Returns the index after the closing quote, or -1 when the text ends inside the string; terminatedAt is set
    // when a python_end marker appears inside it.
    private static int SkipString(string text, int start, bool python, out int terminatedAt)
    {
        terminatedAt = -1;
        var quote = text[start];
        var triple = false;
        if (python && start + 2 < text.Length && text[start + 1] == quote && text[start + 2] == quote)
        {
            triple = true;
        }
        else if (python && start + 2 >= text.Length && IsRepeatedQuoteToEnd(text, start, quote))
        {
            // '' or ''' at the very end: empty string or the start of a triple-quoted one. Wait for more.
            return -1;
        }

        var i = start + (triple ? 3 : 1);
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '<' && string.CompareOrdinal(text, i, PythonEnd, 0, PythonEnd.Length) == 0)
            {
                terminatedAt = i;
                return -1;
            }

            if (c == '\\')
            {
                i += 2;
                continue;
            }

            if (c == quote)
            {
                if (!triple)
                {
                    return i + 1;
                }

                if (i + 2 < text.Length && text[i + 1] == quote && text[i + 2] == quote)
                {
                    return i + 3;
                }
            }

            i++;
        }

        return -1;
    }

    private static bool IsRepeatedQuoteToEnd(string text, int start, char quote)
    {
        for (var i = start; i < text.Length; i++)
        {
            if (text[i] != quote)
            {
                return false;
            }
        }

        return true;
    }

    private static string Closers(StringBuilder stack)
    {
        var closers = new char[stack.Length];
        for (var i = 0; i < stack.Length; i++)
        {
            closers[i] = stack[stack.Length - 1 - i];
        }

        return new string(closers);
    }
}
