namespace Llama4.Core.Grammars;

/// <summary>One element of a parsed GBNF rule.</summary>
/// <param name="Type">What the element is.</param>
/// <param name="Value">A code point, a symbol id or a token id, depending on <paramref name="Type"/>.</param>
internal readonly record struct GbnfElement(GbnfElementType Type, uint Value)
{
    /// <summary>Gets whether the element ends an alternative (<see cref="GbnfElementType.End"/> or <see cref="GbnfElementType.Alternative"/>).</summary>
    public bool EndsSequence => Type is GbnfElementType.End or GbnfElementType.Alternative;

    /// <summary>Gets whether the element starts a terminal (a character set, any character, or a token).</summary>
    public bool StartsTerminal => Type is GbnfElementType.Char or GbnfElementType.CharNot or GbnfElementType.CharAny
        or GbnfElementType.Token or GbnfElementType.TokenNot;
}
