namespace Llama4.Core.Grammars;

/// <summary>The kinds of element in a parsed GBNF rule; the same flat encoding llama.cpp's parser produces.</summary>
internal enum GbnfElementType
{
    /// <summary>The end of a rule definition.</summary>
    End,

    /// <summary>The start of another alternative of the same rule.</summary>
    Alternative,

    /// <summary>A reference to a rule (the value is its symbol id).</summary>
    RuleReference,

    /// <summary>The first character of a positive character set (a literal character or <c>[...]</c>).</summary>
    Char,

    /// <summary>The first character of a negated character set <c>[^...]</c>.</summary>
    CharNot,

    /// <summary>The inclusive upper bound of a range whose lower bound is the previous element.</summary>
    CharRangeUpper,

    /// <summary>A further character of the current character set.</summary>
    CharAlternative,

    /// <summary>Any character (<c>.</c>).</summary>
    CharAny,

    /// <summary>A token id (<c>&lt;[id]&gt;</c>).</summary>
    Token,

    /// <summary>Any token but the given id (<c>!&lt;[id]&gt;</c>).</summary>
    TokenNot,
}
