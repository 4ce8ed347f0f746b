namespace Llama4.Core.Grammars;

/// <summary>
/// Bounds and layout of the JSON that grammars built by <see cref="GbnfGrammarBuilder"/> allow. Every grammar is
/// bounded, so a constrained generation always ends by the grammar, never by running out of tokens: a schema's own
/// bounds (<c>maxLength</c>, <c>maxItems</c>, <c>minimum</c>/<c>maximum</c>, ...) are used where it gives them, and these
/// options where it does not.
/// </summary>
/// <remarks>
/// Whitespace: the JSON is compact, except that with <see cref="AllowSpaceAfterSeparators"/> (the default) a single
/// optional space may follow each <c>:</c> and <c>,</c>, the layout of Python's <c>json.dumps</c>, which is what Llama 4's
/// tool-call examples and training data use (<c>{"name": "f", "parameters": {"x": 1}}</c>). Newlines and indentation
/// are never allowed: they add nothing to the value, would let a model spend tokens on layout without bound, and make
/// outputs of the same value differ.
/// </remarks>
internal sealed record JsonSchemaGrammarOptions
{
    /// <summary>The largest string length, array size or property count a schema may ask for; larger maxima are lowered to it (which still satisfies the schema), larger minima are refused.</summary>
    public const int MaxSupportedCount = 65_536;

    /// <summary>Gets the options with every default.</summary>
    public static JsonSchemaGrammarOptions Default { get; } = new();

    /// <summary>
    /// Gets the most characters of a string when its schema gives no <c>maxLength</c> (default 512). Lengths count
    /// UTF-16 code units for the maximum (a character outside the Basic Multilingual Plane counts 2, as .NET's
    /// <c>string.Length</c> and validators built on it do) and code points for the minimum, so a generated string
    /// satisfies <c>minLength</c>/<c>maxLength</c> under either reading.
    /// </summary>
    public int MaxStringLength { get; init; } = 512;

    /// <summary>Gets the most items of an array when its schema gives no <c>maxItems</c> (default 32).</summary>
    public int MaxArrayItems { get; init; } = 32;

    /// <summary>Gets the most properties an object may have beyond its declared ones, when additional properties are allowed (default 16).</summary>
    public int MaxAdditionalProperties { get; init; } = 16;

    /// <summary>Gets the most characters of the name of a property that is not declared by the schema (default 64).</summary>
    public int MaxPropertyNameLength { get; init; } = 64;

    /// <summary>Gets the most digits of a number's integer part on a side the schema leaves unbounded (default 15, what a double holds exactly).</summary>
    public int MaxNumberDigits { get; init; } = 15;

    /// <summary>Gets the most digits after the decimal point of a <c>number</c> (default 10). Exponents are never generated.</summary>
    public int MaxFractionDigits { get; init; } = 10;

    /// <summary>
    /// Gets how deep recursion is unrolled (default 4): a recursive <c>$ref</c> may appear at most this many times along
    /// any path (counting the outermost), and free-form JSON values nest at most this deep. At the limit only the
    /// non-recursive alternatives remain (an empty array, an omitted optional property, <c>null</c>); a recursive schema
    /// without such an alternative is refused.
    /// </summary>
    public int MaxRecursionDepth { get; init; } = 4;

    /// <summary>
    /// Gets whether unescaped string characters are limited to printable ASCII (default false; escapes such as
    /// <c>é</c> still reach every character of the Basic Multilingual Plane). llama.cpp's grammar matcher accepts
    /// overlong UTF-8 (for example the bytes E0 9F BF for U+07FF), which a model sampling bytes freely can emit and which
    /// decodes to several U+FFFD characters, so the text differs from what the grammar counted. Real models practically
    /// never do this; use this option where output must be safe even from a model that samples raw bytes.
    /// </summary>
    public bool AsciiOnlyStrings { get; init; }

    /// <summary>Gets whether a single optional space may follow <c>:</c> and <c>,</c> (default true); false allows only compact JSON.</summary>
    public bool AllowSpaceAfterSeparators { get; init; } = true;

    /// <summary>
    /// Gets whether values are written as Python literals (default false): <c>True</c>, <c>False</c> and <c>None</c>
    /// instead of <c>true</c>, <c>false</c> and <c>null</c>, and strings without the <c>\/</c> escape, which Python does
    /// not have. Everything else JSON writes (double-quoted strings, numbers, lists, dicts with string keys) is Python
    /// already. For the pythonic tool-call style.
    /// </summary>
    public bool PythonLiterals { get; init; }

    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    public void Validate()
    {
        Check(MaxStringLength, 0, MaxSupportedCount, nameof(MaxStringLength));
        Check(MaxArrayItems, 0, MaxSupportedCount, nameof(MaxArrayItems));
        Check(MaxAdditionalProperties, 0, 1_000, nameof(MaxAdditionalProperties));
        Check(MaxPropertyNameLength, 1, 1_000, nameof(MaxPropertyNameLength));
        Check(MaxNumberDigits, 1, 300, nameof(MaxNumberDigits));
        Check(MaxFractionDigits, 0, 300, nameof(MaxFractionDigits));
        Check(MaxRecursionDepth, 1, 32, nameof(MaxRecursionDepth));
    }

    private static void Check(int value, int min, int max, string name)
    {
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be between {min} and {max}.");
        }
    }
}
