using System.Text;
using Llama4.Core.Grammars;

namespace Llama4.Core.Tests.Grammars;

/// <summary>Draws random sentences from a parsed grammar (test helper).</summary>
internal sealed class GbnfSampler
{
    private readonly GbnfParsedGrammar _grammar;
    private readonly Random _random;
    private readonly int[] _shortest;

    public GbnfSampler(GbnfParsedGrammar grammar, int seed)
    {
        _grammar = grammar;
        _random = new Random(seed);
        _shortest = Shortest(grammar);
    }

    /// <summary>Draws one sentence; alternatives are random until <paramref name="softLength"/> characters, then shortest-first.</summary>
    public string Sample(int softLength = 200)
    {
        var output = new StringBuilder();
        var stack = new Stack<(int Rule, int Position)>();
        PushAlternative(_grammar.RootId, stack, output.Length > softLength);
        while (stack.Count > 0)
        {
            var (ruleId, position) = stack.Pop();
            var rule = _grammar.Rules[ruleId];
            if (rule[position].EndsSequence)
            {
                continue;
            }

            var element = rule[position];
            if (element.Type == GbnfElementType.RuleReference)
            {
                stack.Push((ruleId, position + 1));
                PushAlternative((int)element.Value, stack, output.Length > softLength);
                continue;
            }

            var (ranges, negated, next) = CharSet(rule, position);
            output.Append(char.ConvertFromUtf32(Pick(ranges, negated)));
            stack.Push((ruleId, next));
        }

        return output.ToString();
    }

    private void PushAlternative(int ruleId, Stack<(int Rule, int Position)> stack, bool shortest)
    {
        var alternatives = GbnfGrammarChecks.Alternatives(_grammar.Rules[ruleId]).ToList();
        var lengths = alternatives.Select(a => AlternativeLength(_grammar.Rules[ruleId], a.Start, a.End)).ToList();
        int index;
        if (shortest)
        {
            index = lengths.IndexOf(lengths.Min());
        }
        else
        {
            var finite = Enumerable.Range(0, alternatives.Count).Where(i => lengths[i] < int.MaxValue / 2).ToList();
            index = finite[_random.Next(finite.Count)];
        }

        stack.Push((ruleId, alternatives[index].Start));
    }

    private int AlternativeLength(GbnfElement[] rule, int start, int end)
    {
        long total = 0;
        for (int i = start; i < end; i++)
        {
            if (rule[i].Type == GbnfElementType.RuleReference)
            {
                total += _shortest[rule[i].Value];
            }
            else if (rule[i].StartsTerminal)
            {
                total++;
            }
        }

        return (int)Math.Min(total, int.MaxValue / 2);
    }

    private static int[] Shortest(GbnfParsedGrammar grammar)
    {
        var shortest = Enumerable.Repeat(int.MaxValue / 2, grammar.Rules.Count).ToArray();
        bool changed = true;
        while (changed)
        {
            changed = false;
            for (int id = 0; id < grammar.Rules.Count; id++)
            {
                foreach (var (start, end) in GbnfGrammarChecks.Alternatives(grammar.Rules[id]))
                {
                    long total = 0;
                    for (int i = start; i < end; i++)
                    {
                        var e = grammar.Rules[id][i];
                        total += e.Type == GbnfElementType.RuleReference ? shortest[e.Value] : (e.StartsTerminal ? 1 : 0);
                    }

                    if (total < shortest[id])
                    {
                        shortest[id] = (int)total;
                        changed = true;
                    }
                }
            }
        }

        return shortest;
    }

    private static (List<(uint Low, uint High)> Ranges, bool Negated, int Next) CharSet(GbnfElement[] rule, int position)
    {
        var ranges = new List<(uint, uint)>();
        bool negated = rule[position].Type == GbnfElementType.CharNot;
        int p = position;
        do
        {
            if (rule[p].Type == GbnfElementType.CharAny)
            {
                negated = true;
                p += 1;
            }
            else if (rule[p + 1].Type == GbnfElementType.CharRangeUpper)
            {
                ranges.Add((rule[p].Value, rule[p + 1].Value));
                p += 2;
            }
            else
            {
                ranges.Add((rule[p].Value, rule[p].Value));
                p += 1;
            }
        }
        while (rule[p].Type == GbnfElementType.CharAlternative);

        return (ranges, negated, p);
    }

    private int Pick(List<(uint Low, uint High)> ranges, bool negated)
    {
        if (negated)
        {
            // Printable ASCII or a few non-ASCII characters, outside the excluded ranges.
            while (true)
            {
                uint candidate = _random.Next(4) == 0 ? (uint)_random.Next(0xA0, 0x3000) : (uint)_random.Next(0x20, 0x7F);
                if (!ranges.Any(r => candidate >= r.Low && candidate <= r.High))
                {
                    return (int)candidate;
                }
            }
        }

        var (low, high) = ranges[_random.Next(ranges.Count)];
        while (true)
        {
            uint candidate = low + (uint)_random.NextInt64(high - low + 1);
            if (candidate is not (>= 0xD800 and <= 0xDFFF) and > 0 and <= 0x10FFFF)
            {
                return (int)candidate;
            }
        }
    }
}
