namespace Llama4.Core.Grammars;

/// <summary>
/// The checks that run on a parsed grammar: every referenced rule is defined, the start rule exists, no rule is left
/// recursive, every rule can finish, and llama.cpp's own left-recursion check stays cheap.
/// </summary>
/// <remarks>
/// llama.cpp refuses a left-recursive grammar only when the recursion passes through rules that have a literally
/// empty alternative; through a rule that is empty in another way (<c>x ::= y</c>, <c>y ::= ""</c>, or an optional
/// item) it accepts the grammar and then grows its parse stacks without end. Here "may match the empty string" is
/// computed exactly, so every grammar llama.cpp refuses is refused, and so is every grammar that would hang it.
/// </remarks>
internal static class GbnfGrammarChecks
{
    /// <summary>The most calls llama.cpp's (unmemoised) left-recursion search may make.</summary>
    public const long MaxLeftRecursionSearch = 1_000_000;

    /// <summary>The longest chain of leftmost rule references (llama.cpp follows it recursively on the native stack).</summary>
    public const int MaxLeftChain = 5_000;

    /// <summary>Runs every check and returns the grammar.</summary>
    /// <param name="text">The grammar text (for positions in messages).</param>
    /// <param name="parser">The parsed grammar.</param>
    /// <param name="root">The start rule's name.</param>
    /// <returns>The checked grammar.</returns>
    /// <exception cref="Llama4GrammarException">A check failed.</exception>
    public static GbnfParsedGrammar Check(string text, GbnfParser parser, string root)
    {
        int count = parser.Names.Count;
        if (parser.Rules.Count == 0)
        {
            throw new Llama4GrammarException($"The GBNF grammar defines no rules (it is empty or only comments). Define the start rule, for example: {root} ::= \"yes\" | \"no\"");
        }

        for (int id = 0; id < count; id++)
        {
            if ((id >= parser.Rules.Count || parser.Rules[id] is null) && !parser.Generated[id])
            {
                throw GbnfParser.Error(text, Math.Max(0, parser.FirstReferences[id]), $"the rule '{parser.Names[id]}' is used but never defined. Define it ('{parser.Names[id]} ::= ...') or fix the spelling.");
            }
        }

        if (!parser.TryGetSymbol(root, out int rootId) || parser.Generated[rootId])
        {
            throw new Llama4GrammarException($"The GBNF grammar has no rule named '{root}', the start rule. Define it ('{root} ::= ...') or pass the name of the start rule.");
        }

        var rules = new GbnfElement[count][];
        for (int id = 0; id < count; id++)
        {
            rules[id] = [.. parser.Rules[id]!];
        }

        var nullable = ComputeNullable(rules);
        CheckLeftRecursion(text, parser, rules, nullable);
        CheckLlamaSearchCost(rules);
        CheckProductive(text, parser, rules);
        CheckTokenPlacement(text, parser, rules, nullable);
        return new GbnfParsedGrammar(parser.Names, parser.Generated, rules, rootId);
    }

    /// <summary>Enumerates the alternatives of a rule as index ranges [start, end).</summary>
    /// <param name="rule">The rule's elements.</param>
    /// <returns>The start and end index of every alternative.</returns>
    public static IEnumerable<(int Start, int End)> Alternatives(GbnfElement[] rule)
    {
        int start = 0;
        for (int i = 0; i < rule.Length; i++)
        {
            if (rule[i].EndsSequence)
            {
                yield return (start, i);
                start = i + 1;
                if (rule[i].Type == GbnfElementType.End)
                {
                    yield break;
                }
            }
        }
    }

    private static bool[] ComputeNullable(GbnfElement[][] rules)
    {
        var nullable = new bool[rules.Length];
        bool changed = true;
        while (changed)
        {
            changed = false;
            for (int id = 0; id < rules.Length; id++)
            {
                if (nullable[id])
                {
                    continue;
                }

                foreach (var (start, end) in Alternatives(rules[id]))
                {
                    bool allNullable = true;
                    for (int i = start; i < end && allNullable; i++)
                    {
                        allNullable = rules[id][i].Type == GbnfElementType.RuleReference && nullable[rules[id][i].Value];
                    }

                    if (allNullable)
                    {
                        nullable[id] = true;
                        changed = true;
                        break;
                    }
                }
            }
        }

        return nullable;
    }

    private static List<int>[] LeftEdges(GbnfElement[][] rules, Func<int, bool> passesThrough)
    {
        var edges = new List<int>[rules.Length];
        for (int id = 0; id < rules.Length; id++)
        {
            edges[id] = [];
            foreach (var (start, end) in Alternatives(rules[id]))
            {
                for (int i = start; i < end; i++)
                {
                    var element = rules[id][i];
                    if (element.Type != GbnfElementType.RuleReference)
                    {
                        break;
                    }

                    edges[id].Add((int)element.Value);
                    if (!passesThrough((int)element.Value))
                    {
                        break;
                    }
                }
            }
        }

        return edges;
    }

    private static void CheckLeftRecursion(string text, GbnfParser parser, GbnfElement[][] rules, bool[] nullable)
    {
        var edges = LeftEdges(rules, target => nullable[target]);
        var state = new byte[rules.Length];
        var path = new List<int>();
        for (int start = 0; start < rules.Length; start++)
        {
            if (state[start] != 0)
            {
                continue;
            }

            // Iterative depth-first search: (node, next edge index).
            var stack = new Stack<(int Node, int Edge)>();
            stack.Push((start, 0));
            state[start] = 1;
            path.Add(start);
            while (stack.Count > 0)
            {
                var (node, edge) = stack.Pop();
                if (edge < edges[node].Count)
                {
                    stack.Push((node, edge + 1));
                    int next = edges[node][edge];
                    if (state[next] == 1)
                    {
                        var cycle = path.Skip(path.IndexOf(next)).Append(next).ToList();
                        throw LeftRecursionError(text, parser, cycle);
                    }

                    if (state[next] == 0)
                    {
                        state[next] = 1;
                        path.Add(next);
                        stack.Push((next, 0));
                    }
                }
                else
                {
                    state[node] = 2;
                    path.RemoveAt(path.Count - 1);
                }
            }
        }
    }

    private static Llama4GrammarException LeftRecursionError(string text, GbnfParser parser, List<int> cycle)
    {
        var names = cycle.Select(id => Describe(parser, id)).ToList();
        int anchor = cycle.Select(id => DefinitionOf(parser, id)).FirstOrDefault(p => p >= 0, 0);
        bool onlyGenerated = cycle.All(id => parser.Generated[id]);
        string detail = onlyGenerated
            ? $"inside rule '{BaseName(parser, cycle[0])}' a repeated item (*, +, {{m,}}) can match the empty string, or a group can reach itself before matching a character"
            : "the rules can reach themselves before matching any character: " + string.Join(" -> ", names);
        return GbnfParser.Error(
            text,
            anchor,
            $"left recursion: {detail}. llama.cpp refuses left-recursive grammars, or hangs on them when the recursion passes through rules that can match the empty string. Rewrite it right-recursively (for example 'list ::= item (\",\" item)*' instead of 'list ::= list \",\" item | item'), and never repeat an item that can be empty.");
    }

    private static void CheckLlamaSearchCost(GbnfElement[][] rules)
    {
        // llama.cpp's search follows a reference past another only when that one has a literally empty alternative.
        var mayBeEmpty = rules.Select(rule => Alternatives(rule).Any(a => a.Start == a.End)).ToArray();
        var edges = LeftEdges(rules, target => mayBeEmpty[target]);
        var calls = new long[rules.Length];
        var depth = new int[rules.Length];
        var done = new bool[rules.Length];

        // The graph is acyclic here (it is a subgraph of the one checked for left recursion): post-order evaluation.
        for (int start = 0; start < rules.Length; start++)
        {
            if (done[start])
            {
                continue;
            }

            var stack = new Stack<(int Node, int Edge)>();
            stack.Push((start, 0));
            while (stack.Count > 0)
            {
                var (node, edge) = stack.Pop();
                if (edge < edges[node].Count)
                {
                    stack.Push((node, edge + 1));
                    int next = edges[node][edge];
                    if (!done[next])
                    {
                        stack.Push((next, 0));
                    }

                    continue;
                }

                if (done[node])
                {
                    continue;
                }

                long total = 1;
                int longest = 0;
                foreach (int next in edges[node])
                {
                    total = Math.Min(MaxLeftRecursionSearch + 1, total + calls[next]);
                    longest = Math.Max(longest, depth[next] + 1);
                }

                calls[node] = total;
                depth[node] = longest;
                done[node] = true;
            }
        }

        // The outer loop of llama.cpp starts a search from every rule not yet visited by an earlier search.
        var visited = new bool[rules.Length];
        long searches = 0;
        for (int start = 0; start < rules.Length; start++)
        {
            if (visited[start])
            {
                continue;
            }

            searches = Math.Min(MaxLeftRecursionSearch + 1, searches + calls[start]);
            var pending = new Stack<int>();
            pending.Push(start);
            visited[start] = true;
            while (pending.Count > 0)
            {
                foreach (int next in edges[pending.Pop()])
                {
                    if (!visited[next])
                    {
                        visited[next] = true;
                        pending.Push(next);
                    }
                }
            }
        }

        if (searches > MaxLeftRecursionSearch || depth.Any(d => d > MaxLeftChain))
        {
            throw new Llama4GrammarException(
                "The GBNF grammar is too complex for llama.cpp's left-recursion check, which follows every chain of leftmost rule references without memoising and would effectively hang. " +
                "Reduce the number of alternatives that start with the same rule (factor the common rule out: 'a ::= b (x | y)' instead of 'a ::= b x | b y').");
        }
    }

    private static void CheckProductive(string text, GbnfParser parser, GbnfElement[][] rules)
    {
        var productive = new bool[rules.Length];
        bool changed = true;
        while (changed)
        {
            changed = false;
            for (int id = 0; id < rules.Length; id++)
            {
                if (productive[id])
                {
                    continue;
                }

                foreach (var (start, end) in Alternatives(rules[id]))
                {
                    bool ok = true;
                    for (int i = start; i < end && ok; i++)
                    {
                        ok = rules[id][i].Type != GbnfElementType.RuleReference || productive[rules[id][i].Value];
                    }

                    if (ok)
                    {
                        productive[id] = true;
                        changed = true;
                        break;
                    }
                }
            }
        }

        int bad = Enumerable.Range(0, rules.Length).Where(id => !productive[id]).OrderBy(id => parser.Generated[id]).FirstOrDefault(-1);
        if (bad >= 0)
        {
            throw GbnfParser.Error(
                text,
                Math.Max(0, DefinitionOf(parser, bad)),
                $"the rule '{BaseName(parser, bad)}' can never finish: every alternative needs the rule itself again (directly or through other rules), so generation could never end. Give it an alternative that ends, for example 'item ::= \"x\" item | \"x\"'.");
        }
    }

    // llama.cpp checks a model token against the grammar by matching its text character by character and, where a
    // token element (<[id]>, !<[id]>) comes next, the rest of the token by id; but it then accepts the token either
    // wholly as characters or wholly as a token. A token whose text spans characters and a following token element
    // passes the check, fails the acceptance, and llama.cpp aborts ("Unexpected empty grammar stack"). So a token
    // element must never directly follow a character.
    private static void CheckTokenPlacement(string text, GbnfParser parser, GbnfElement[][] rules, bool[] nullable)
    {
        if (!rules.Any(rule => rule.Any(e => e.Type is GbnfElementType.Token or GbnfElementType.TokenNot)))
        {
            return;
        }

        var startsWithToken = new bool[rules.Length];
        var endsWithChar = new bool[rules.Length];
        bool changed = true;
        while (changed)
        {
            changed = false;
            for (int id = 0; id < rules.Length; id++)
            {
                foreach (var (start, end) in Alternatives(rules[id]))
                {
                    var items = Items(rules[id], start, end).ToList();
                    if (!startsWithToken[id] && Scan(items, nullable, i => i.Token || (i.Rule >= 0 && startsWithToken[i.Rule])))
                    {
                        startsWithToken[id] = changed = true;
                    }

                    items.Reverse();
                    if (!endsWithChar[id] && Scan(items, nullable, i => i.Char || (i.Rule >= 0 && endsWithChar[i.Rule])))
                    {
                        endsWithChar[id] = changed = true;
                    }
                }
            }
        }

        for (int id = 0; id < rules.Length; id++)
        {
            foreach (var (start, end) in Alternatives(rules[id]))
            {
                var items = Items(rules[id], start, end).ToList();
                for (int i = 0; i < items.Count; i++)
                {
                    if (!(items[i].Char || (items[i].Rule >= 0 && endsWithChar[items[i].Rule])))
                    {
                        continue;
                    }

                    for (int j = i + 1; j < items.Count; j++)
                    {
                        if (items[j].Token || (items[j].Rule >= 0 && startsWithToken[items[j].Rule]))
                        {
                            throw GbnfParser.Error(
                                text,
                                Math.Max(0, DefinitionOf(parser, id)),
                                $"in rule '{BaseName(parser, id)}' a token (<[id]> or !<[id]>) can directly follow a character. llama.cpp's sampler lets a model token whose text spans both pass its check and then aborts when accepting it. Put tokens only at the start of the output or after other tokens.");
                        }

                        if (!(items[j].Rule >= 0 && nullable[items[j].Rule]))
                        {
                            break;
                        }
                    }
                }
            }
        }

        static bool Scan(List<(bool Char, bool Token, int Rule)> items, bool[] nullable, Func<(bool Char, bool Token, int Rule), bool> hit)
        {
            foreach (var item in items)
            {
                if (hit(item))
                {
                    return true;
                }

                if (!(item.Rule >= 0 && nullable[item.Rule]))
                {
                    return false;
                }
            }

            return false;
        }
    }

    // The items of an alternative: each character set, token or rule reference once.
    private static IEnumerable<(bool Char, bool Token, int Rule)> Items(GbnfElement[] rule, int start, int end)
    {
        for (int i = start; i < end; i++)
        {
            switch (rule[i].Type)
            {
                case GbnfElementType.RuleReference:
                    yield return (false, false, (int)rule[i].Value);
                    break;
                case GbnfElementType.Token or GbnfElementType.TokenNot:
                    yield return (false, true, -1);
                    break;
                case GbnfElementType.Char or GbnfElementType.CharNot or GbnfElementType.CharAny:
                    yield return (true, false, -1);
                    break;
            }
        }
    }

    private static string BaseName(GbnfParser parser, int id)
    {
        string name = parser.Names[id];
        return parser.Generated[id] ? name[..name.LastIndexOf('_')] : name;
    }

    private static string Describe(GbnfParser parser, int id) =>
        parser.Generated[id] ? $"(a group or repetition in '{BaseName(parser, id)}')" : parser.Names[id];

    private static int DefinitionOf(GbnfParser parser, int id)
    {
        if (!parser.Generated[id])
        {
            return parser.Definitions[id];
        }

        return parser.TryGetSymbol(BaseName(parser, id), out int baseId) ? parser.Definitions[baseId] : -1;
    }
}
