namespace CustomerService.Conversation;

/// <summary>A conversation script line that is not in the documented format.</summary>
internal sealed class ScriptFormatException : FormatException
{
    public ScriptFormatException(int lineNumber, string message)
        : base($"Script line {lineNumber}: {message} Lines are 'user: TEXT', 'user[TOOL]: TEXT', 'approve', 'deny', 'restart', blank, or '# comment'.")
    {
        LineNumber = lineNumber;
    }

    public ScriptFormatException()
    {
    }

    public ScriptFormatException(string message)
        : base(message)
    {
    }

    public ScriptFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the 1-based line number of the bad line.</summary>
    public int LineNumber { get; }
}
