namespace Llama4.Core;

/// <summary>
/// Thrown when a GBNF grammar would be refused by llama.cpp (or would make it hang or abort) and therefore must not
/// reach it. The message says what is wrong, where (line and column, 1-based), and how to fix it.
/// </summary>
public sealed class Llama4GrammarException : Exception
{
    /// <summary>Creates an exception with a generic message and no position.</summary>
    public Llama4GrammarException()
        : base("The GBNF grammar is invalid.")
    {
    }

    /// <summary>Creates an exception with the given message and no position.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    public Llama4GrammarException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message, no position, and an inner exception.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    /// <param name="innerException">The underlying error.</param>
    public Llama4GrammarException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a problem at a position of the grammar text.</summary>
    /// <param name="message">What is wrong and how to fix it (including the position).</param>
    /// <param name="line">The 1-based line of the problem, or 0 when it has no position.</param>
    /// <param name="column">The 1-based column (in UTF-16 code units) of the problem, or 0 when it has no position.</param>
    public Llama4GrammarException(string message, int line, int column)
        : base(message)
    {
        Line = line;
        Column = column;
    }

    /// <summary>Gets the 1-based line of the problem in the grammar text, or 0 when the problem has no position.</summary>
    public int Line { get; }

    /// <summary>Gets the 1-based column (in UTF-16 code units) of the problem, or 0 when the problem has no position.</summary>
    public int Column { get; }
}
