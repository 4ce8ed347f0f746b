namespace Llama4.Core;

/// <summary>
/// Thrown when a JSON Schema cannot be turned into a grammar that accepts exactly the JSON texts valid against it: an
/// unsupported keyword, a bound that cannot be met, or a recursion that never ends. <see cref="Keyword"/> names the
/// keyword and <see cref="SchemaPath"/> is its JSON pointer (for example <c>#/properties/when/pattern</c>).
/// </summary>
public sealed class Llama4JsonSchemaException : Exception
{
    /// <summary>Creates an exception with a generic message.</summary>
    public Llama4JsonSchemaException()
        : base("The JSON Schema cannot be converted to a grammar.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">What is not supported and what to do instead.</param>
    public Llama4JsonSchemaException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and inner exception.</summary>
    /// <param name="message">What is not supported and what to do instead.</param>
    /// <param name="innerException">The underlying error.</param>
    public Llama4JsonSchemaException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception that names the offending keyword and where it is.</summary>
    /// <param name="message">What is not supported and what to do instead.</param>
    /// <param name="keyword">The schema keyword (for example <c>pattern</c>).</param>
    /// <param name="schemaPath">The JSON pointer of the keyword in the schema (for example <c>#/properties/id/pattern</c>).</param>
    public Llama4JsonSchemaException(string message, string keyword, string schemaPath)
        : base(message)
    {
        Keyword = keyword;
        SchemaPath = schemaPath;
    }

    /// <summary>Gets the schema keyword that cannot be converted, or <see langword="null"/> when not known.</summary>
    public string? Keyword { get; }

    /// <summary>Gets the JSON pointer of the keyword in the schema (<c>#/...</c>), or <see langword="null"/> when not known.</summary>
    public string? SchemaPath { get; }
}
