namespace Llama4.Core.Grammars;

/// <summary>
/// Validates GBNF grammars in managed code before they reach llama.cpp, whose parser failure (or a grammar it accepts
/// but cannot run) takes the whole process down. Anything this validator accepts, llama.cpp (commit 815a2a59) parses.
/// </summary>
/// <remarks>
/// The dialect is llama.cpp's: rules <c>name ::= body</c> (names of letters, digits and '-'), alternatives <c>|</c>,
/// sequences, groups <c>( )</c>, string literals and character classes <c>[...]</c>/<c>[^...]</c> with the escapes
/// <c>\n \r \t \\ \" \[ \] \xHH \uHHHH \UHHHHHHHH</c>, any character <c>.</c>, repetitions <c>* + ?</c>,
/// <c>{m}</c>, <c>{m,}</c>, <c>{m,n}</c>, comments from <c>#</c> to the end of the line, newlines after <c>::=</c>,
/// after <c>|</c> and inside groups, and token ids <c>&lt;[id]&gt;</c>/<c>!&lt;[id]&gt;</c>. Refused beyond what llama.cpp
/// refuses: duplicate rule definitions (llama.cpp keeps the last silently), repetition maxima above 2000 (llama.cpp
/// makes them unbounded silently), a maximum below the minimum (llama.cpp runs out of memory), empty or
/// never-matching character classes, characters a model cannot generate, rules that can never finish, left recursion
/// through rules that can be empty (llama.cpp hangs), a token element directly after a character (llama.cpp's sampler
/// can then accept a model token it cannot consume and abort), grammars whose left-recursion check would take llama.cpp
/// exponential time, tokens written as text (<c>&lt;text&gt;</c>: they depend on the vocabulary), NUL characters and
/// unpaired surrogates. Token ids are not checked against a vocabulary (an id the model lacks never matches).
/// </remarks>
internal static class GbnfValidator
{
    /// <summary>Throws when llama.cpp would refuse the grammar, or accept it and then hang or abort.</summary>
    /// <param name="gbnf">The grammar text.</param>
    /// <param name="root">The start rule's name.</param>
    /// <exception cref="Llama4GrammarException">The grammar is invalid; the message says where, what and how to fix it.</exception>
    public static void Validate(string gbnf, string root = "root") => Parse(gbnf, root);

    /// <summary>Validates a grammar and returns it as llama.cpp's parser represents it.</summary>
    /// <param name="gbnf">The grammar text.</param>
    /// <param name="root">The start rule's name.</param>
    /// <returns>The parsed grammar.</returns>
    /// <exception cref="Llama4GrammarException">The grammar is invalid.</exception>
    public static GbnfParsedGrammar Parse(string gbnf, string root = "root")
    {
        ArgumentNullException.ThrowIfNull(gbnf);
        ArgumentNullException.ThrowIfNull(root);
        if (root.Length == 0 || !root.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-'))
        {
            throw new Llama4GrammarException($"The start rule name '{root}' is not a GBNF rule name (letters, digits and '-').");
        }

        var parser = GbnfParser.Parse(gbnf);
        return GbnfGrammarChecks.Check(gbnf, parser, root);
    }
}
