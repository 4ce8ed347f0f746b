using Llama4.Core.Grammars;

namespace Llama4.Core.Tests.Grammars;

/// <summary>
/// A test-only recogniser for parsed GBNF grammars that works like llama.cpp's sampler: a set of pushdown stacks
/// advanced code point by code point. Tokens (<c>&lt;[id]&gt;</c>) never match text.
/// </summary>
internal sealed class GbnfMatcher
{
    private readonly GbnfParsedGrammar _grammar;

    public GbnfMatcher(GbnfParsedGrammar grammar)
    {
        _grammar = grammar;
    }

    public static GbnfMatcher For(string gbnf, string root = "root") => new(GbnfValidator.Parse(gbnf, root));

    public static GbnfMatcher For(Llama4Grammar grammar) => For(grammar.Gbnf, grammar.Root);

    /// <summary>Gets whether the whole text is in the grammar's language.</summary>
    public bool Accepts(string text) => Run(text) is { } stacks && stacks.Contains(null);

    /// <summary>Gets whether the text can be extended to (or is) a sentence of the grammar.</summary>
    public bool IsPrefix(string text) => Run(text) is { Count: > 0 };

    private HashSet<Frame?>? Run(string text)
    {
        var stacks = new HashSet<Frame?>();
        var root = _grammar.Rules[_grammar.RootId];
        foreach (var (start, end) in GbnfGrammarChecks.Alternatives(root))
        {
            Advance(start == end ? null : new Frame(_grammar.RootId, start, null), stacks);
        }

        foreach (var rune in text.EnumerateRunes())
        {
            var next = new HashSet<Frame?>();
            foreach (var stack in stacks)
            {
                if (stack is null)
                {
                    continue;
                }

                var rule = _grammar.Rules[stack.Rule];
                if (Match(rule, stack.Position, (uint)rune.Value) is { } after)
                {
                    Advance(rule[after].EndsSequence ? stack.Next : stack with { Position = after }, next);
                }
            }

            if (next.Count == 0)
            {
                return null;
            }

            stacks = next;
        }

        return stacks;
    }

    private void Advance(Frame? start, HashSet<Frame?> result)
    {
        var todo = new Stack<Frame?>();
        var seen = new HashSet<Frame?>();
        todo.Push(start);
        while (todo.Count > 0)
        {
            var stack = todo.Pop();
            if (!seen.Add(stack))
            {
                continue;
            }

            if (stack is null)
            {
                result.Add(null);
                continue;
            }

            var element = _grammar.Rules[stack.Rule][stack.Position];
            if (element.Type != GbnfElementType.RuleReference)
            {
                result.Add(stack);
                continue;
            }

            var rest = _grammar.Rules[stack.Rule][stack.Position + 1].EndsSequence ? stack.Next : stack with { Position = stack.Position + 1 };
            int target = (int)element.Value;
            foreach (var (altStart, altEnd) in GbnfGrammarChecks.Alternatives(_grammar.Rules[target]))
            {
                todo.Push(altStart == altEnd ? rest : new Frame(target, altStart, rest));
            }
        }
    }

    // Mirrors llama.cpp's character matching; returns the position after the character set, or null.
    private static int? Match(GbnfElement[] rule, int position, uint c)
    {
        var type = rule[position].Type;
        if (type is GbnfElementType.Token or GbnfElementType.TokenNot)
        {
            return null;
        }

        bool positive = type is GbnfElementType.Char or GbnfElementType.CharAny;
        bool found = false;
        int p = position;
        do
        {
            if (rule[p + 1].Type == GbnfElementType.CharRangeUpper)
            {
                found |= rule[p].Value <= c && c <= rule[p + 1].Value;
                p += 2;
            }
            else if (rule[p].Type == GbnfElementType.CharAny)
            {
                found = true;
                p += 1;
            }
            else
            {
                found |= rule[p].Value == c;
                p += 1;
            }
        }
        while (rule[p].Type == GbnfElementType.CharAlternative);

        return found == positive ? p : null;
    }

    private sealed record Frame(int Rule, int Position, Frame? Next);
}
