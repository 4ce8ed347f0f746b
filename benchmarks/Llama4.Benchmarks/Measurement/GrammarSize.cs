using System.Text.RegularExpressions;
using Llama4.Core;

namespace Llama4.Benchmarks.Measurement;

/// <summary>How big a GBNF grammar is: characters of text and rule definitions (<c>name ::= ...</c>).</summary>
internal readonly partial record struct GrammarSize(int Characters, int Rules)
{
    public static GrammarSize Of(Llama4Grammar grammar)
    {
        ArgumentNullException.ThrowIfNull(grammar);
        return new GrammarSize(grammar.Gbnf.Length, RuleDefinition().Count(grammar.Gbnf));
    }

    [GeneratedRegex(@"^[A-Za-z0-9-]+ ::= ", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex RuleDefinition();
}
