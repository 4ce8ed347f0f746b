using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Llama4.Core.Grammars;

/// <summary>
/// Composes a GBNF grammar from JSON Schemas, free-form JSON and raw rules, and builds it into a validated
/// <see cref="Llama4Grammar"/>. Every rule is emitted once (rules with the same body are shared), and the result always
/// passes <see cref="GbnfValidator"/>: a bug here surfaces as a <see cref="Llama4GrammarException"/>, never as a crash
/// in llama.cpp. Not thread-safe; use one builder per grammar.
/// </summary>
/// <remarks>
/// JSON is generated compactly, with at most one optional space after <c>:</c> and <c>,</c>, and within the bounds of
/// <see cref="JsonSchemaGrammarOptions"/>; see there for why. Strings never contain raw control characters, lone
/// surrogate escapes or exponents in numbers; their characters are otherwise unrestricted.
/// </remarks>
internal sealed class GbnfGrammarBuilder
{
    private const string RootName = "root";
    private const int RepeatChunk = 1000;
    private const int MaxNameLength = 48;

    // Characters allowed raw in a JSON string: everything but '"', '\', the C0 controls and the surrogates.
    private static readonly (int Low, int High)[] UnicodeBmp = [(0x20, 0x21), (0x23, 0x5B), (0x5D, 0xD7FF), (0xE000, 0xFFFF)];
    private static readonly (int Low, int High)[] PrintableAscii = [(0x20, 0x21), (0x23, 0x5B), (0x5D, 0x7E)];
    private static readonly (int Low, int High)[] RawAstral = [(0x10000, 0x10FFFF)];

    private readonly List<(string Name, string Body)> _rules = [];
    private readonly Dictionary<string, string> _nameByBody = new(StringComparer.Ordinal);
    private readonly HashSet<string> _names = new(StringComparer.Ordinal) { RootName };
    private readonly Dictionary<string, string> _shared = new(StringComparer.Ordinal);
    private readonly (int Low, int High)[] _rawBmp;

    /// <summary>Creates a builder.</summary>
    /// <param name="options">The bounds and layout of generated JSON; <see cref="JsonSchemaGrammarOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public GbnfGrammarBuilder(JsonSchemaGrammarOptions? options = null)
    {
        Options = options ?? JsonSchemaGrammarOptions.Default;
        Options.Validate();
        _rawBmp = Options.AsciiOnlyStrings ? PrintableAscii : UnicodeBmp;
    }

    /// <summary>Gets the options.</summary>
    public JsonSchemaGrammarOptions Options { get; }

    /// <summary>Gets the JSON separator between members and items: <c>","</c> and, when allowed, one optional space.</summary>
    internal string Comma => Options.AllowSpaceAfterSeparators ? "\",\" " + Whitespace() : "\",\"";

    /// <summary>Gets the JSON separator between a name and its value: <c>":"</c> and, when allowed, one optional space.</summary>
    internal string Colon => Options.AllowSpaceAfterSeparators ? "\":\" " + Whitespace() : "\":\"";

    /// <summary>Returns a GBNF string literal that matches exactly <paramref name="text"/>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The literal, quotes included, with <c>"</c>, <c>\</c> and control characters escaped.</returns>
    public static string Literal(string text) => GbnfText.Literal(text);

    /// <summary>
    /// Adds rules for a JSON Schema and returns the name of a rule that matches exactly the JSON texts valid against it
    /// (within the bounds of <see cref="Options"/>).
    /// </summary>
    /// <param name="schema">The schema. Local <c>$ref</c>s (<c>#</c>, <c>#/$defs/...</c>, <c>#/definitions/...</c>, any
    /// <c>#/...</c> pointer) resolve against this element.</param>
    /// <param name="nameHint">A hint for the rule names (for example the tool name).</param>
    /// <returns>The rule name.</returns>
    /// <remarks>
    /// Supported: <c>type</c> (one or several, <c>null</c> for nullable; OpenAPI's <c>nullable: true</c> too),
    /// <c>properties</c>, <c>required</c>, <c>additionalProperties</c> (false, true or a schema; when absent, an object that
    /// declares <c>properties</c> gets only its declared properties, which is what generation wants, and an object
    /// without <c>properties</c> gets any members), <c>items</c>, <c>minItems</c>, <c>maxItems</c>, <c>uniqueItems: false</c>,
    /// <c>enum</c>, <c>const</c>, <c>minLength</c>, <c>maxLength</c>, <c>format</c> (<c>date</c>, <c>date-time</c>, <c>time</c>,
    /// <c>uuid</c>, <c>email</c>; for numbers <c>int32</c>, <c>int64</c>, <c>float</c>, <c>double</c>), <c>minimum</c>,
    /// <c>maximum</c>, <c>exclusiveMinimum</c>, <c>exclusiveMaximum</c> (numbers or draft-04 booleans), <c>anyOf</c>,
    /// <c>oneOf</c> (only when its branches provably never accept the same value), <c>allOf</c> with one schema, local
    /// <c>$ref</c> (recursion unrolled to <see cref="JsonSchemaGrammarOptions.MaxRecursionDepth"/>), and annotations.
    /// Properties come in schema order; required ones are always present, optional ones may be omitted.
    /// Anything else (<c>pattern</c>, <c>multipleOf</c>, <c>not</c>, <c>if</c>, other formats, external <c>$ref</c>...) throws.
    /// </remarks>
    /// <exception cref="Llama4JsonSchemaException">The schema uses something a grammar cannot enforce; the exception names the keyword and its JSON pointer.</exception>
    public string AddJsonSchema(JsonElement schema, string nameHint) => new JsonSchemaConverter(this, schema).Convert(nameHint);

    /// <summary>Adds rules for any JSON value within the bounds of <see cref="Options"/> and returns the rule name.</summary>
    /// <returns>The rule name.</returns>
    public string AddAnyJsonValue() => AnyValue(Options.MaxRecursionDepth);

    /// <summary>Adds rules for any JSON object within the bounds of <see cref="Options"/> and returns the rule name.</summary>
    /// <returns>The rule name.</returns>
    public string AddAnyJsonObject() => AnyObject(Options.MaxRecursionDepth);

    /// <summary>
    /// Adds a raw rule and returns its name (derived from <paramref name="nameHint"/>, made unique; a rule with the same
    /// body that already exists is returned instead). The body is checked when the grammar is built.
    /// </summary>
    /// <param name="nameHint">A hint for the name; characters other than letters, digits and '-' are replaced.</param>
    /// <param name="body">The GBNF body (what follows <c>::=</c>), on one line unless inside parentheses.</param>
    /// <returns>The rule name.</returns>
    public string AddRule(string nameHint, string body)
    {
        ArgumentNullException.ThrowIfNull(nameHint);
        ArgumentNullException.ThrowIfNull(body);
        if (_nameByBody.TryGetValue(body, out string? existing))
        {
            return existing;
        }

        string name = UniqueName(nameHint);
        _rules.Add((name, body));
        _nameByBody.Add(body, name);
        return name;
    }

    /// <summary>Builds the grammar <c>root ::= rootBody</c> plus every rule added so far, and validates it.</summary>
    /// <param name="rootBody">The body of the start rule.</param>
    /// <returns>The grammar, with start rule <c>root</c>.</returns>
    /// <exception cref="Llama4GrammarException">The grammar is invalid (a raw rule or <paramref name="rootBody"/> is malformed).</exception>
    public Llama4Grammar Build(string rootBody)
    {
        ArgumentNullException.ThrowIfNull(rootBody);
        var text = new StringBuilder();
        text.Append(RootName).Append(" ::= ").Append(rootBody).Append('\n');
        foreach (var (name, body) in _rules)
        {
            text.Append(name).Append(" ::= ").Append(body).Append('\n');
        }

        string gbnf = text.ToString();
        GbnfValidator.Validate(gbnf, RootName);
        return new Llama4Grammar(gbnf, RootName);
    }

    /// <summary>Returns the name of a JSON string rule with at least <paramref name="minLength"/> code points and at most <paramref name="maxUnits"/> UTF-16 code units.</summary>
    /// <param name="minLength">The minimum length.</param>
    /// <param name="maxUnits">The maximum length (at least <paramref name="minLength"/>).</param>
    /// <returns>The rule name.</returns>
    internal string JsonString(int minLength, int maxUnits)
    {
        string character = JsonChar();
        string required = RepeatLarge(character, minLength, minLength);
        string optional = CharChain("json-chars", character, AstralChar(), maxUnits - minLength);
        return AddRule(string.Create(CultureInfo.InvariantCulture, $"string-{minLength}-{maxUnits}"), Join("\"\\\"\"", required, optional, "\"\\\"\""));
    }

    /// <summary>
    /// Returns the name of a rule for a property name (1 to <see cref="JsonSchemaGrammarOptions.MaxPropertyNameLength"/>
    /// characters, no escapes) that is none of <paramref name="excluded"/>, or null when the exclusions leave no name.
    /// </summary>
    /// <param name="excluded">Names that must not be produced (the declared properties).</param>
    /// <returns>The rule name, or null.</returns>
    internal string? PropertyName(IReadOnlyCollection<string> excluded)
    {
        int budget = Options.MaxPropertyNameLength;
        var words = excluded.Where(w => w.Length > 0 && w.Length <= budget && w.All(c => InRanges(c, _rawBmp) || char.IsSurrogate(c))).ToHashSet(StringComparer.Ordinal);
        return KeyNode(string.Empty, budget, words) is { } body ? AddRule("key", "\"\\\"\" " + body + " \"\\\"\"") : null;
    }

    /// <summary>Returns the name of a rule for an array of <paramref name="item"/> with <paramref name="min"/> to <paramref name="max"/> items.</summary>
    /// <param name="hint">A hint for the rule names.</param>
    /// <param name="item">The item rule, or null when only an empty array is possible.</param>
    /// <param name="min">The minimum count.</param>
    /// <param name="max">The maximum count.</param>
    /// <returns>The rule name.</returns>
    internal string Array(string hint, string? item, int min, int max)
    {
        if (item is null || max == 0)
        {
            return AddRule(hint, "\"[\" \"]\"");
        }

        string tail = AddRule(hint + "-next", Comma + " " + item);
        if (min == 0)
        {
            string items = AddRule(hint + "-items", Join(item, RepeatLarge(tail, 0, max - 1)));
            return AddRule(hint, "\"[\" " + items + "? \"]\"");
        }

        return AddRule(hint, Join("\"[\"", item, RepeatLarge(tail, min - 1, max - 1), "\"]\""));
    }

    /// <summary>Returns the name of a rule for an object with the given properties, in order, and optional extra members.</summary>
    /// <param name="hint">A hint for the rule names.</param>
    /// <param name="properties">The declared properties: name, value rule, and whether it is required.</param>
    /// <param name="extraValue">The value rule of extra members, or null for none.</param>
    /// <param name="excluded">The names extra members must not use (every declared property name).</param>
    /// <returns>The rule name.</returns>
    internal string Object(string hint, IReadOnlyList<(string Name, string Value, bool Required)> properties, string? extraValue, IReadOnlyCollection<string> excluded)
    {
        string? key = extraValue is null || Options.MaxAdditionalProperties == 0 ? null : PropertyName(excluded);
        int maxExtras = key is null ? 0 : Options.MaxAdditionalProperties;
        string? extra = key is null ? null : AddRule(hint + "-extra", Join(key, Colon, extraValue!));
        string? extraNext = extra is null ? null : AddRule(hint + "-extra-next", Comma + " " + extra);

        var members = properties
            .Select(p => AddRule(hint + "-" + p.Name, Join(GbnfText.Literal(JsonText.Quote(p.Name)), Colon, p.Value)))
            .ToList();

        // rest[j]: the members from j on, after at least one member has been written (each starts with a comma).
        var rest = new string[properties.Count + 1];
        rest[properties.Count] = extraNext is null ? string.Empty : RepeatLarge(extraNext, 0, maxExtras);
        for (int j = properties.Count - 1; j >= 1; j--)
        {
            string piece = AddRule(hint + "-next-" + properties[j].Name, Comma + " " + members[j]);
            string body = Join(properties[j].Required ? piece : piece + "?", rest[j + 1]);
            rest[j] = AddRule(hint + "-rest", body);
        }

        // The first member written: any optional property up to and including the first required one.
        var first = new List<string>();
        bool hasRequired = false;
        for (int k = 0; k < properties.Count; k++)
        {
            first.Add(Join(members[k], rest[k + 1]));
            if (properties[k].Required)
            {
                hasRequired = true;
                break;
            }
        }

        if (!hasRequired)
        {
            if (extra is not null)
            {
                first.Add(Join(extra, RepeatLarge(extraNext!, 0, maxExtras - 1)));
            }

            if (first.Count == 0)
            {
                return AddRule(hint, "\"{\" \"}\"");
            }

            first.Add("\"\"");
        }

        string content = AddRule(hint + "-members", string.Join(" | ", first));
        return AddRule(hint, "\"{\" " + content + " \"}\"");
    }

    /// <summary>Returns the name of a rule for any JSON number within the configured digit limits.</summary>
    /// <returns>The rule name.</returns>
    internal string AnyNumber() => Shared("number", () => NumericGrammar.Decimal(null, null, Options.MaxNumberDigits, Options.MaxFractionDigits, AddRule)!);

    /// <summary>Returns the name of the rule <c>"true" | "false"</c>.</summary>
    /// <returns>The rule name.</returns>
    internal string Boolean() => Shared("boolean", () => Options.PythonLiterals ? "\"True\" | \"False\"" : "\"true\" | \"false\"");

    /// <summary>Returns the null literal: <c>"null"</c>, or <c>"None"</c> with <see cref="JsonSchemaGrammarOptions.PythonLiterals"/>.</summary>
    /// <returns>A GBNF literal.</returns>
    internal string Null() => Options.PythonLiterals ? "\"None\"" : "\"null\"";

    /// <summary>Returns the GBNF literal of a constant value, as JSON or (with <see cref="JsonSchemaGrammarOptions.PythonLiterals"/>) as a Python literal.</summary>
    /// <param name="value">The value.</param>
    /// <returns>A GBNF literal.</returns>
    internal string ValueLiteral(JsonElement value) =>
        GbnfText.Literal(Options.PythonLiterals ? Prompting.PythonLiteral.Value(value) : JsonText.Canonical(value));

    /// <summary>Repeats an atom between <paramref name="min"/> and <paramref name="max"/> times, also beyond llama.cpp's limit of 2000 per repetition.</summary>
    /// <param name="atom">A rule name, literal or character class.</param>
    /// <param name="min">The minimum count.</param>
    /// <param name="max">The maximum count.</param>
    /// <returns>A GBNF sequence (empty for zero repetitions).</returns>
    internal string RepeatLarge(string atom, int min, int max)
    {
        var parts = new List<string>();
        int fixedCount = min;
        while (fixedCount >= RepeatChunk)
        {
            parts.Add(GbnfText.Repeat(atom, RepeatChunk, RepeatChunk));
            fixedCount -= RepeatChunk;
        }

        parts.Add(GbnfText.Repeat(atom, fixedCount, fixedCount));
        parts.Add(OptionalRepeat(atom, max - min));
        return Join([.. parts]);
    }

    /// <summary>Adds a rule once per key and returns its name.</summary>
    /// <param name="key">The rule's well-known name.</param>
    /// <param name="body">Creates the body (called once).</param>
    /// <returns>The rule name.</returns>
    internal string Shared(string key, Func<string> body)
    {
        if (!_shared.TryGetValue(key, out string? name))
        {
            name = AddRule(key, body());
            _shared[key] = name;
        }

        return name;
    }

    private static string Join(params string[] parts) => string.Join(" ", parts.Where(p => p.Length > 0));

    private static bool InRanges(int codePoint, (int Low, int High)[] ranges) => ranges.Any(r => codePoint >= r.Low && codePoint <= r.High);

    private string JsonChar() => Shared("json-char", () => GbnfText.Class(_rawBmp) + " | \"\\\\\" " + Shared("json-escape", JsonEscapeBody));

    // Characters outside the Basic Multilingual Plane (2 UTF-16 units); none with AsciiOnlyStrings.
    private string AstralChar() => Options.AsciiOnlyStrings ? string.Empty : Shared("json-char-astral", () => GbnfText.Class(RawAstral));

    private string JsonEscapeBody()
    {
        const string Hex = "[0-9a-fA-F]";
        string hex4 = AddRule("json-hex4", $"[0-9a-cA-CeEfF] {Hex} {Hex} {Hex} | [dD] [0-7] {Hex} {Hex}");
        return (Options.PythonLiterals ? "[\"\\\\bfnrt]" : "[\"\\\\/bfnrt]") + " | \"u\" " + hex4;
    }

    private string OptionalRepeat(string atom, int count)
    {
        if (count <= RepeatChunk)
        {
            return GbnfText.Repeat(atom, 0, count);
        }

        // Lengths 0..999 or exactly 1000 more and the rest: disjoint, so the grammar stays unambiguous.
        string rest = OptionalRepeat(atom, count - RepeatChunk);
        return AddRule("repeat", $"{GbnfText.Repeat(atom, 0, RepeatChunk - 1)} | {Join(GbnfText.Repeat(atom, RepeatChunk, RepeatChunk), rest)}");
    }

    // Strings of BMP characters (1 UTF-16 unit) and astral characters (2 units) weighing at most `budget` units.
    private string CharChain(string prefix, string bmp, string astral, int budget)
    {
        if (budget <= 0)
        {
            return string.Empty;
        }

        string key = prefix + "-" + budget.ToString(CultureInfo.InvariantCulture);
        if (_shared.TryGetValue(key, out string? existing))
        {
            return existing;
        }

        // Build bottom-up so that long chains never recurse deeply.
        string previous = string.Empty;
        string beforePrevious = string.Empty;
        for (int k = 1; k <= budget; k++)
        {
            string kKey = prefix + "-" + k.ToString(CultureInfo.InvariantCulture);
            if (!_shared.TryGetValue(kKey, out string? name))
            {
                string body = k == 1 || astral.Length == 0
                    ? $"{Join(bmp, previous)} | \"\""
                    : $"{Join(bmp, previous)} | {Join(astral, beforePrevious)} | \"\"";
                name = AddRule(kKey, body);
                _shared[kKey] = name;
            }

            beforePrevious = previous;
            previous = name;
        }

        return previous;
    }

    // A property name continuing `prefix` (a prefix of an excluded word) by at most `budget` more UTF-16 units; null
    // when no continuation is allowed.
    private string? KeyNode(string prefix, int budget, HashSet<string> excluded)
    {
        string keyChar = Shared("key-char", () => GbnfText.Class(_rawBmp));
        var alternatives = new List<string>();
        if (budget > 0)
        {
            var continuations = excluded.Where(w => w.Length > prefix.Length && w.StartsWith(prefix, StringComparison.Ordinal))
                .Select(w => w[prefix.Length])
                .Distinct()
                .Order()
                .ToList();
            var children = continuations.Where(c => !char.IsSurrogate(c)).ToList();
            string free = CharChain("key-chars", keyChar, AstralChar(), budget - 1);
            var others = Subtract(_rawBmp, children.Select(c => (int)c));
            if (others.Length > 0)
            {
                alternatives.Add(Join(GbnfText.Class(others), free));
            }

            foreach (char child in children)
            {
                if (KeyNode(prefix + child, budget - 1, excluded) is { } next)
                {
                    alternatives.Add(Join(GbnfText.Literal(child.ToString()), next));
                }
            }

            // An excluded word continuing with an astral character: leave astral characters out here (rare, safe).
            if (budget > 1 && continuations.Count == children.Count && AstralChar().Length > 0)
            {
                alternatives.Add(Join(AstralChar(), CharChain("key-chars", keyChar, AstralChar(), budget - 2)));
            }
        }

        bool endsHere = prefix.Length > 0 && !excluded.Contains(prefix);
        if (alternatives.Count == 0)
        {
            return endsHere ? string.Empty : null;
        }

        if (endsHere)
        {
            alternatives.Add("\"\"");
        }

        return AddRule("key-name", string.Join(" | ", alternatives));
    }

    private static (int Low, int High)[] Subtract((int Low, int High)[] ranges, IEnumerable<int> points)
    {
        var result = new List<(int Low, int High)>(ranges);
        foreach (int point in points)
        {
            for (int i = 0; i < result.Count; i++)
            {
                var (low, high) = result[i];
                if (point < low || point > high)
                {
                    continue;
                }

                result.RemoveAt(i);
                if (point < high)
                {
                    result.Insert(i, (point + 1, high));
                }

                if (point > low)
                {
                    result.Insert(i, (low, point - 1));
                }

                break;
            }
        }

        return [.. result];
    }

    private string Whitespace() => Shared("ws", () => "\" \"?");

    private string AnyValue(int depth)
    {
        string key = "any-value-" + depth.ToString(CultureInfo.InvariantCulture);
        return Shared(key, () =>
        {
            var alternatives = new List<string>();
            if (depth > 0)
            {
                alternatives.Add(AnyObject(depth));
                alternatives.Add(AnyArray(depth));
            }

            alternatives.Add(JsonString(0, Options.MaxStringLength));
            alternatives.Add(AnyNumber());
            alternatives.Add(Boolean());
            alternatives.Add(Null());
            return string.Join(" | ", alternatives);
        });
    }

    private string AnyArray(int depth) => Array("any-array", AnyValue(depth - 1), 0, Options.MaxArrayItems);

    private string AnyObject(int depth) => Object("any-object", [], AnyValue(depth - 1), []);

    private string UniqueName(string hint)
    {
        var builder = new StringBuilder();
        foreach (char c in hint)
        {
            bool ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9');
            if (ok)
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        string name = builder.ToString().Trim('-');
        if (name.Length > MaxNameLength)
        {
            name = name[..MaxNameLength].Trim('-');
        }

        if (name.Length == 0)
        {
            name = "rule";
        }

        string candidate = name;
        for (int i = 2; !_names.Add(candidate); i++)
        {
            candidate = name + "-" + i.ToString(CultureInfo.InvariantCulture);
        }

        return candidate;
    }
}
