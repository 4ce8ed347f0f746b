using System.Globalization;

namespace Llama4.Core.Grammars;

/// <summary>
/// A managed parser for llama.cpp's GBNF dialect that builds the same rules, symbol ids and generated rules as
/// llama.cpp's own parser (commit 815a2a59), and refuses everything that parser refuses, plus the inputs on which it
/// would hang, exhaust memory, or silently change meaning. Semantic checks run afterwards in
/// <see cref="GbnfGrammarChecks"/>.
/// </summary>
internal sealed class GbnfParser
{
    /// <summary>llama.cpp's limit on repetition counts and on rules multiplied by a repetition.</summary>
    public const int MaxRepetitionThreshold = 2000;

    /// <summary>The most nested parentheses accepted (llama.cpp parses groups recursively on the native stack).</summary>
    public const int MaxNestingDepth = 200;

    /// <summary>The most grammar elements accepted after expanding repetitions.</summary>
    public const long MaxElements = 2_000_000;

    private const string FixRepetition = "Write a smaller count, or split the repetition into named rules.";

    private readonly string _text;
    private readonly Dictionary<string, int> _symbolIds = new(StringComparer.Ordinal);
    private readonly List<string> _names = [];
    private readonly List<bool> _generated = [];
    private readonly List<List<GbnfElement>?> _rules = [];
    private readonly List<int> _definitions = [];
    private readonly List<int> _firstReferences = [];
    private int _pos;
    private int _depth;
    private long _elementCount;

    private GbnfParser(string text)
    {
        _text = text;
    }

    /// <summary>Gets the symbol names by id.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>Gets whether each symbol was generated for a group or repetition.</summary>
    public IReadOnlyList<bool> Generated => _generated;

    /// <summary>Gets the rules by id (null where a symbol is referenced but never defined).</summary>
    public IReadOnlyList<List<GbnfElement>?> Rules => _rules;

    /// <summary>Gets the text index of each symbol's definition, or -1.</summary>
    public IReadOnlyList<int> Definitions => _definitions;

    /// <summary>Gets the text index of each symbol's first reference, or -1.</summary>
    public IReadOnlyList<int> FirstReferences => _firstReferences;

    /// <summary>Gets the symbol id of a name, if the grammar mentions it.</summary>
    /// <param name="name">The rule name.</param>
    /// <param name="id">The symbol id.</param>
    /// <returns>Whether the name is known.</returns>
    public bool TryGetSymbol(string name, out int id) => _symbolIds.TryGetValue(name, out id);

    /// <summary>Parses grammar text, mirroring llama.cpp's parser.</summary>
    /// <param name="text">The grammar.</param>
    /// <returns>The parser holding the parsed rules.</returns>
    /// <exception cref="Llama4GrammarException">The text is not valid GBNF.</exception>
    public static GbnfParser Parse(string text)
    {
        var parser = new GbnfParser(text);
        parser.CheckCharacters();
        parser.ParseGrammar();
        return parser;
    }

    /// <summary>Creates the exception for a problem at a text index.</summary>
    /// <param name="text">The grammar text.</param>
    /// <param name="index">The UTF-16 index of the problem.</param>
    /// <param name="message">What is wrong and how to fix it.</param>
    /// <returns>The exception, with line and column.</returns>
    public static Llama4GrammarException Error(string text, int index, string message)
    {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < index && i < text.Length; i++)
        {
            if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n')))
            {
                line++;
                lineStart = i + 1;
            }
        }

        int column = index - lineStart + 1;
        return new Llama4GrammarException(
            string.Create(CultureInfo.InvariantCulture, $"GBNF grammar error at line {line}, column {column}: {message}"),
            line,
            column);
    }

    private Llama4GrammarException Error(int index, string message) => Error(_text, index, message);

    private char At(int index) => index < _text.Length ? _text[index] : '\0';

    private string Excerpt(int index)
    {
        if (index >= _text.Length)
        {
            return "the end of the grammar";
        }

        int end = index;
        while (end < _text.Length && end - index < 20 && _text[end] != '\n' && _text[end] != '\r')
        {
            end++;
        }

        return "'" + _text[index..end] + "'";
    }

    private void CheckCharacters()
    {
        for (int i = 0; i < _text.Length; i++)
        {
            char c = _text[i];
            if (c == '\0')
            {
                throw Error(i, "the grammar contains a NUL character; llama.cpp reads the grammar as a C string and would stop there. Write \\x00 inside a literal instead, or remove it.");
            }

            if (char.IsHighSurrogate(c) && i + 1 < _text.Length && char.IsLowSurrogate(_text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                throw Error(i, "the grammar contains an unpaired UTF-16 surrogate, which cannot be encoded as UTF-8 for llama.cpp. Fix the string that built the grammar.");
            }
        }
    }

    private void ParseGrammar()
    {
        _pos = SkipSpace(0, newlineOk: true);
        while (_pos < _text.Length)
        {
            ParseRule();
        }
    }

    private static bool IsWordChar(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-';

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private int SkipSpace(int index, bool newlineOk)
    {
        while (index < _text.Length)
        {
            char c = _text[index];
            if (c == '#')
            {
                while (index < _text.Length && _text[index] != '\r' && _text[index] != '\n')
                {
                    index++;
                }
            }
            else if (c == ' ' || c == '\t' || (newlineOk && (c == '\r' || c == '\n')))
            {
                index++;
            }
            else
            {
                break;
            }
        }

        return index;
    }

    private int ParseNameEnd(int index)
    {
        int end = index;
        while (IsWordChar(At(end)))
        {
            end++;
        }

        if (end == index)
        {
            string what = index < _text.Length && _text[index] == '_'
                ? "rule names may contain only letters, digits and '-' (no '_')"
                : "expecting a rule name";
            throw Error(index, $"{what} at {Excerpt(index)}. A rule is written 'name ::= body' with a name of letters, digits and '-'; a body continues on the next line only after '|' or inside parentheses.");
        }

        return end;
    }

    private int GetSymbolId(string name)
    {
        if (_symbolIds.TryGetValue(name, out int id))
        {
            return id;
        }

        id = _names.Count;
        _symbolIds.Add(name, id);
        _names.Add(name);
        _generated.Add(false);
        _definitions.Add(-1);
        _firstReferences.Add(-1);
        return id;
    }

    private int GenerateSymbolId(string baseName)
    {
        int id = _names.Count;
        string name = baseName + "_" + id.ToString(CultureInfo.InvariantCulture);

        // User names cannot contain '_', so a generated name never collides with a written one.
        _symbolIds[name] = id;
        _names.Add(name);
        _generated.Add(true);
        _definitions.Add(-1);
        _firstReferences.Add(-1);
        return id;
    }

    private void AddRule(int id, List<GbnfElement> rule)
    {
        while (_rules.Count <= id)
        {
            _rules.Add(null);
        }

        _rules[id] = rule;
    }

    private void ParseRule()
    {
        int start = _pos;
        int nameEnd = ParseNameEnd(_pos);
        string name = _text[start..nameEnd];
        int pos = SkipSpace(nameEnd, newlineOk: false);
        int id = GetSymbolId(name);
        if (!(At(pos) == ':' && At(pos + 1) == ':' && At(pos + 2) == '='))
        {
            if (At(nameEnd) == '_')
            {
                throw Error(nameEnd, $"rule names may contain only letters, digits and '-' (no '_' as after '{name}'); use '-' instead.");
            }

            throw Error(pos, $"expecting '::=' after the rule name '{name}', found {Excerpt(pos)}. A rule is written 'name ::= body'; a body continues on the next line only after '|' or inside parentheses.");
        }

        if (_definitions[id] >= 0)
        {
            throw Error(start, $"the rule '{name}' is defined twice; llama.cpp would silently keep only the last definition. Merge the definitions with '|' or rename one.");
        }

        _definitions[id] = start;
        _pos = SkipSpace(pos + 3, newlineOk: true);
        ParseAlternates(name, id, nested: false);

        if (At(_pos) == '\r')
        {
            _pos += At(_pos + 1) == '\n' ? 2 : 1;
        }
        else if (At(_pos) == '\n')
        {
            _pos++;
        }
        else if (_pos < _text.Length)
        {
            string hint = At(_pos) switch
            {
                ')' => "there is a ')' without a matching '('",
                ':' when At(_pos + 1) == ':' && At(_pos + 2) == '=' => "a rule definition ('::=') appears inside another rule: a line ending with '|' continues on the next line, so write an empty alternative as \"\" instead of a trailing '|'",
                _ => $"unexpected {Excerpt(_pos)}",
            };
            throw Error(_pos, $"{hint} in rule '{name}'; a rule must end at the end of its line. Check the quotes, brackets and parentheses before this point.");
        }

        _pos = SkipSpace(_pos, newlineOk: true);
    }

    private void ParseAlternates(string ruleName, int ruleId, bool nested)
    {
        var rule = new List<GbnfElement>();
        ParseSequence(ruleName, rule, nested);
        while (At(_pos) == '|')
        {
            Push(rule, new GbnfElement(GbnfElementType.Alternative, 0));
            _pos = SkipSpace(_pos + 1, newlineOk: true);
            ParseSequence(ruleName, rule, nested);
        }

        Push(rule, new GbnfElement(GbnfElementType.End, 0));
        AddRule(ruleId, rule);
    }

    private void Push(List<GbnfElement> rule, GbnfElement element)
    {
        _elementCount++;
        rule.Add(element);
    }

    private void ParseSequence(string ruleName, List<GbnfElement> rule, bool nested)
    {
        int lastSymbolStart = rule.Count;
        ulong previousRules = 1;
        while (_pos < _text.Length)
        {
            char c = _text[_pos];
            int itemStart = _pos;
            if (c == '"')
            {
                _pos++;
                lastSymbolStart = rule.Count;
                previousRules = 1;
                while (At(_pos) != '"')
                {
                    if (_pos >= _text.Length)
                    {
                        throw Error(itemStart, "this string literal is never closed; add the closing '\"' (write \\\" for a quote inside it).");
                    }

                    int charStart = _pos;
                    uint value = ParseChar();
                    CheckGenerable(charStart, value);
                    Push(rule, new GbnfElement(GbnfElementType.Char, value));
                }

                _pos = SkipSpace(_pos + 1, nested);
            }
            else if (c == '[')
            {
                ParseCharClass(rule, ref lastSymbolStart, nested);
                previousRules = 1;
            }
            else if (c is '<' or '!')
            {
                var type = GbnfElementType.Token;
                if (c == '!')
                {
                    type = GbnfElementType.TokenNot;
                    _pos++;
                }

                uint token = ParseToken(itemStart);
                lastSymbolStart = rule.Count;
                previousRules = 1;
                Push(rule, new GbnfElement(type, token));
                _pos = SkipSpace(_pos, nested);
            }
            else if (IsWordChar(c))
            {
                int nameEnd = ParseNameEnd(_pos);
                int id = GetSymbolId(_text[_pos..nameEnd]);
                if (_firstReferences[id] < 0)
                {
                    _firstReferences[id] = _pos;
                }

                _pos = SkipSpace(nameEnd, nested);
                lastSymbolStart = rule.Count;
                previousRules = 1;
                Push(rule, new GbnfElement(GbnfElementType.RuleReference, (uint)id));
            }
            else if (c == '(')
            {
                if (++_depth > MaxNestingDepth)
                {
                    throw Error(_pos, $"parentheses are nested more than {MaxNestingDepth} deep; llama.cpp parses them recursively and could overflow its stack. Move inner groups into named rules.");
                }

                _pos = SkipSpace(_pos + 1, newlineOk: true);
                int symbolsBefore = _names.Count;
                int subId = GenerateSymbolId(ruleName);
                ParseAlternates(ruleName, subId, nested: true);
                previousRules = (ulong)Math.Max(1, _names.Count - symbolsBefore);
                lastSymbolStart = rule.Count;
                Push(rule, new GbnfElement(GbnfElementType.RuleReference, (uint)subId));
                if (At(_pos) != ')')
                {
                    throw Error(itemStart, $"this '(' is never closed (found {Excerpt(_pos)} where ')' was expected); add the matching ')'.");
                }

                _depth--;
                _pos = SkipSpace(_pos + 1, nested);
            }
            else if (c == '.')
            {
                lastSymbolStart = rule.Count;
                previousRules = 1;
                Push(rule, new GbnfElement(GbnfElementType.CharAny, 0));
                _pos = SkipSpace(_pos + 1, nested);
            }
            else if (c is '*' or '+' or '?')
            {
                _pos = SkipSpace(_pos + 1, nested);
                ulong min = c == '+' ? 1UL : 0UL;
                ulong max = c == '?' ? 1UL : ulong.MaxValue;
                HandleRepetition(ruleName, rule, lastSymbolStart, ref previousRules, min, max, itemStart);
            }
            else if (c == '{')
            {
                ParseBraces(ruleName, rule, lastSymbolStart, ref previousRules, nested);
            }
            else
            {
                break;
            }
        }
    }

    private void ParseBraces(string ruleName, List<GbnfElement> rule, int lastSymbolStart, ref ulong previousRules, bool nested)
    {
        int start = _pos;
        _pos = SkipSpace(_pos + 1, nested);
        if (!IsDigit(At(_pos)))
        {
            throw Error(_pos, $"expecting a number after '{{', found {Excerpt(_pos)}. Write {{m}}, {{m,}} or {{m,n}}.");
        }

        ulong min = ParseCount();
        _pos = SkipSpace(_pos, nested);
        ulong max;
        if (At(_pos) == '}')
        {
            max = min;
            _pos = SkipSpace(_pos + 1, nested);
        }
        else if (At(_pos) == ',')
        {
            _pos = SkipSpace(_pos + 1, nested);
            max = ulong.MaxValue;
            if (IsDigit(At(_pos)))
            {
                max = ParseCount();
                _pos = SkipSpace(_pos, nested);
            }

            if (At(_pos) != '}')
            {
                throw Error(_pos, $"expecting '}}' to close the repetition, found {Excerpt(_pos)}. Write {{m}}, {{m,}} or {{m,n}}.");
            }

            _pos = SkipSpace(_pos + 1, nested);
        }
        else
        {
            throw Error(_pos, $"expecting ',' or '}}' in the repetition, found {Excerpt(_pos)}. Write {{m}}, {{m,}} or {{m,n}}.");
        }

        if (min > MaxRepetitionThreshold)
        {
            throw Error(start, $"a repetition of at least {min} exceeds llama.cpp's limit of {MaxRepetitionThreshold}. {FixRepetition}");
        }

        if (max != ulong.MaxValue && max > MaxRepetitionThreshold)
        {
            throw Error(start, $"a repetition of at most {max} exceeds llama.cpp's limit of {MaxRepetitionThreshold}; llama.cpp would silently make it unbounded. {FixRepetition}");
        }

        if (max != ulong.MaxValue && max < min)
        {
            throw Error(start, $"the repetition {{{min},{max}}} has a maximum below its minimum; llama.cpp would loop until it runs out of memory. Swap the numbers.");
        }

        HandleRepetition(ruleName, rule, lastSymbolStart, ref previousRules, min, max, start);
    }

    private ulong ParseCount()
    {
        int start = _pos;
        while (IsDigit(At(_pos)))
        {
            _pos++;
        }

        if (!ulong.TryParse(_text.AsSpan(start, _pos - start), NumberStyles.None, CultureInfo.InvariantCulture, out ulong value))
        {
            throw Error(start, $"the repetition count {_text[start.._pos]} is too large for llama.cpp. {FixRepetition}");
        }

        return value;
    }

    private void HandleRepetition(string ruleName, List<GbnfElement> rule, int lastSymbolStart, ref ulong previousRules, ulong min, ulong max, int operatorIndex)
    {
        bool noMax = max == ulong.MaxValue;
        if (lastSymbolStart == rule.Count)
        {
            throw Error(operatorIndex, $"'{_text[operatorIndex]}' has nothing to repeat; put a literal, character class, rule name or parenthesised group before it.");
        }

        var previous = rule.GetRange(lastSymbolStart, rule.Count - lastSymbolStart);
        ulong totalRules = 1;
        if (!noMax && max > 0)
        {
            totalRules = max;
        }
        else if (min > 0)
        {
            totalRules = min;
        }

        if (previousRules * totalRules >= MaxRepetitionThreshold)
        {
            throw Error(operatorIndex, $"repeating this item {totalRules} times would create {previousRules * totalRules} rules in llama.cpp (its limit is {MaxRepetitionThreshold}); the repeated item already expands to {previousRules} rules. Move the item into a named rule and repeat that name, or lower the count.");
        }

        ulong optional = noMax ? 1 : max - min;
        long added = (long)(min == 0 ? 0 : min - 1) * previous.Count + (long)optional * (previous.Count + 3);
        if (_elementCount + added > MaxElements)
        {
            throw Error(operatorIndex, $"the grammar expands to more than {MaxElements} elements once repetitions are unrolled. Repeat named rules instead of long literals, or lower the counts.");
        }

        if (min == 0)
        {
            _elementCount -= rule.Count - lastSymbolStart;
            rule.RemoveRange(lastSymbolStart, rule.Count - lastSymbolStart);
        }
        else
        {
            for (ulong i = 1; i < min; i++)
            {
                foreach (var element in previous)
                {
                    Push(rule, element);
                }
            }
        }

        int lastRecursiveId = 0;
        for (ulong i = 0; i < optional; i++)
        {
            var recursive = new List<GbnfElement>(previous.Count + 3);
            foreach (var element in previous)
            {
                Push(recursive, element);
            }

            int id = GenerateSymbolId(ruleName);
            if (i > 0 || noMax)
            {
                Push(recursive, new GbnfElement(GbnfElementType.RuleReference, (uint)(noMax ? id : lastRecursiveId)));
            }

            Push(recursive, new GbnfElement(GbnfElementType.Alternative, 0));
            Push(recursive, new GbnfElement(GbnfElementType.End, 0));
            AddRule(id, recursive);
            lastRecursiveId = id;
        }

        if (optional > 0)
        {
            Push(rule, new GbnfElement(GbnfElementType.RuleReference, (uint)lastRecursiveId));
        }

        previousRules *= totalRules;
    }

    private void ParseCharClass(List<GbnfElement> rule, ref int lastSymbolStart, bool nested)
    {
        int start = _pos;
        _pos++;
        var startType = GbnfElementType.Char;
        bool negated = false;
        if (At(_pos) == '^')
        {
            _pos++;
            startType = GbnfElementType.CharNot;
            negated = true;
        }

        lastSymbolStart = rule.Count;
        var set = new CodePointSet();
        while (At(_pos) != ']')
        {
            if (_pos >= _text.Length)
            {
                throw Error(start, "this character class is never closed; add the closing ']' (write \\] for a ']' inside it).");
            }

            int itemStart = _pos;
            uint low = ParseChar();
            var type = lastSymbolStart < rule.Count ? GbnfElementType.CharAlternative : startType;
            Push(rule, new GbnfElement(type, low));
            uint high = low;
            if (At(_pos) == '-' && At(_pos + 1) != ']')
            {
                if (_pos + 1 >= _text.Length)
                {
                    throw Error(start, "this character class is never closed; add the closing ']'.");
                }

                _pos++;
                high = ParseChar();
                Push(rule, new GbnfElement(GbnfElementType.CharRangeUpper, high));
                if (high < low)
                {
                    throw Error(itemStart, $"the range {_text[itemStart.._pos]} is reversed (its end is below its start) and matches nothing. Swap its ends.");
                }
            }

            set.Add(low, high);
        }

        if (lastSymbolStart == rule.Count)
        {
            throw Error(start, $"the character class {(negated ? "[^]" : "[]")} is empty; llama.cpp would treat it as matching the empty string. Remove it, or write \"\" if an empty match is meant.");
        }

        if (!set.MatchesGenerable(negated))
        {
            throw Error(start, "this character class matches no character a model can generate (code point 0, surrogates and code points beyond U+10FFFF never occur), so generation would reach a dead end and llama.cpp would abort. Fix the class.");
        }

        _pos = SkipSpace(_pos + 1, nested);
    }

    private uint ParseToken(int itemStart)
    {
        if (At(_pos) != '<')
        {
            throw Error(_pos, $"expecting '<' after '!', found {Excerpt(_pos)}. Write !<[id]> for any token but id.");
        }

        _pos++;
        if (At(_pos) == '[')
        {
            _pos++;
            int digitsStart = _pos;
            while (IsDigit(At(_pos)))
            {
                _pos++;
            }

            if (_pos == digitsStart)
            {
                throw Error(_pos, $"expecting a token id in <[id]>, found {Excerpt(_pos)}.");
            }

            if (!uint.TryParse(_text.AsSpan(digitsStart, _pos - digitsStart), NumberStyles.None, CultureInfo.InvariantCulture, out uint id) || id > int.MaxValue)
            {
                throw Error(digitsStart, $"the token id {_text[digitsStart.._pos]} is out of range.");
            }

            if (At(_pos) != ']')
            {
                throw Error(_pos, $"expecting ']' in <[id]>, found {Excerpt(_pos)}.");
            }

            _pos++;
            if (At(_pos) != '>')
            {
                throw Error(_pos, $"expecting '>' in <[id]>, found {Excerpt(_pos)}.");
            }

            _pos++;
            return id;
        }

        throw Error(itemStart, "a token written by its text (<...>) depends on the model's vocabulary and cannot be checked before llama.cpp tokenizes it (a text that is not exactly one token makes the grammar fail). Write the token id instead: <[id]>.");
    }

    private uint ParseChar()
    {
        int start = _pos;
        char c = At(_pos);
        if (c == '\\')
        {
            char e = At(_pos + 1);
            switch (e)
            {
                case 'x':
                    return ParseHex(start, 2);
                case 'u':
                    return ParseHex(start, 4);
                case 'U':
                    return ParseHex(start, 8);
                case 't':
                    _pos += 2;
                    return '\t';
                case 'r':
                    _pos += 2;
                    return '\r';
                case 'n':
                    _pos += 2;
                    return '\n';
                case '\\' or '"' or '[' or ']':
                    _pos += 2;
                    return e;
                default:
                    throw Error(start, $"unknown escape {Excerpt(start)}; this llama.cpp knows only \\n \\r \\t \\\\ \\\" \\[ \\] \\xHH \\uHHHH and \\UHHHHHHHH (not \\- or \\/; write \\x2D for '-').");
            }
        }

        if (_pos >= _text.Length)
        {
            throw Error(_pos, "unexpected end of the grammar inside a literal or character class.");
        }

        if (char.IsHighSurrogate(c))
        {
            uint value = (uint)char.ConvertToUtf32(c, _text[_pos + 1]);
            _pos += 2;
            return value;
        }

        _pos++;
        return c;
    }

    private uint ParseHex(int start, int size)
    {
        int pos = start + 2;
        uint value = 0;
        for (int i = 0; i < size; i++)
        {
            char h = At(pos + i);
            int digit = h switch
            {
                >= '0' and <= '9' => h - '0',
                >= 'a' and <= 'f' => h - 'a' + 10,
                >= 'A' and <= 'F' => h - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                throw Error(start, $"expecting {size} hex digits after \\{_text[start + 1]}, found {Excerpt(start)}.");
            }

            value = (value << 4) | (uint)digit;
        }

        _pos = pos + size;
        return value;
    }

    private void CheckGenerable(int index, uint value)
    {
        if (!CodePointSet.IsGenerable(value))
        {
            string why = value switch
            {
                0 => "code point 0 (llama.cpp uses it to mark the end of a token's text)",
                >= 0xD800 and <= 0xDFFF => "a surrogate code point (not a character)",
                _ => "a code point beyond U+10FFFF",
            };
            throw Error(index, $"this literal requires {why}, which a model can never generate; generation would reach a dead end and llama.cpp would abort. Remove it.");
        }
    }
}
