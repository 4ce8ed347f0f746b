namespace Llama4.Core.Tests.Grammars;

/// <summary>Grammars llama.cpp must accept (and run) and grammars that must never reach it.</summary>
internal static class GbnfCorpus
{
    /// <summary>Valid grammars: (name, grammar, start rule, sentences the grammar accepts, texts it rejects).</summary>
    public static readonly (string Name, string Gbnf, string Root, string[] Accepted, string[] Rejected)[] Good =
    [
        ("alternatives", "root ::= \"yes\" | \"no\"", "root", ["yes", "no"], ["", "yesno", "maybe"]),
        ("json-like", """
            root ::= value
            value ::= object | array | string | number | ("true" | "false" | "null")
            object ::= "{" ( pair ( "," pair )* )? "}"
            pair ::= string ":" value
            array ::= "[" ( value ( "," value )* )? "]"
            string ::= "\"" [a-z ]{0,8} "\""
            number ::= "-"? [0-9]{1,4}
            """, "root", ["{\"a\":[1,-2,\"x y\"],\"b\":{}}", "true", "[]"], ["{\"a\"}", "[1,]"]),
        ("list", "root ::= [a-z]+ (\",\" [a-z]+)*", "root", ["a", "ab,c,def"], ["", "a,", ",a"]),
        ("class-escapes", "root ::= [\\x41-\\x5A\\n\\t\\\\\\]\\[-] [^\"\\\\]{1,3}", "root", ["A12", "\nxy", "-é", "]ab", "[c", "\\z"], ["a1", "A", "A\"", "A1234"]),
        ("unicode-literals", "root ::= \"\\u00e9\\U0001F600\" \"\\x41\" \"ü\"", "root", ["é😀Aü"], ["é😀A", "e😀Aü"]),
        ("comments", "# a comment\nroot ::= item # trailing comment\n# another\nitem ::= \"a\" # more\n", "root", ["a"], ["b"]),
        ("newlines-in-groups", "root ::= (\n  \"a\"\n  | \"b\" # comment inside\n)\n", "root", ["a", "b"], ["ab"]),
        ("continuation-after-bar", "root ::= \"a\" |\n  \"b\"", "root", ["a", "b"], [""]),
        ("newline-after-definition", "root ::=\n  \"a\" \"b\"", "root", ["ab"], ["a"]),
        ("repetitions", "root ::= \"a\"{3} \"b\"{0,2} \"c\"{1,} \"d\"? \"e\"* \"f\"+", "root", ["aaacf", "aaabbcccdeef"], ["aacf", "aaabbbcf", "aaaf"]),
        ("spaced-braces", "root ::= [0-9]{ 1 , 3 }", "root", ["1", "123"], ["", "1234"]),
        ("any-char", "root ::= \"<\" .{1,5} \">\"", "root", ["<a>", "<>>>>>"], ["<>", "<abcdef>"]),
        ("empty-alternative-first", "root ::= \"x\" opt\nopt ::= | \"y\"", "root", ["x", "xy"], ["y"]),
        ("crlf", "root ::= a\r\na ::= \"b\"\r\n", "root", ["b"], ["a"]),
        ("right-recursion", "root ::= list\nlist ::= \"[\" (elem (\",\" elem)*)? \"]\"\nelem ::= [0-9] | list", "root", ["[]", "[1,[2,[]],3]"], ["[", "[1,]"]),
        ("dashed-names", "root ::= my-rule-2\nmy-rule-2 ::= \"ok\" Upper-Case\nUpper-Case ::= \"!\"", "root", ["ok!"], ["ok"]),
        ("longest-repetition", "root ::= [a-c]{0,1999}", "root", ["", "abc"], ["d"]),
        ("token-first", "root ::= !<[1]> \"a\" | <[2]> <[3]>", "root", [], ["a"]),
        ("nested-repetition", "root ::= ((\"a\" | \"b\"){2} \"-\"){1,3}", "root", ["ab-", "aa-bb-ba-"], ["a-", "ab-ab-ab-ab-"]),
        ("negated-class", "root ::= [^\\x00-\\x1F\"]{1,10}", "root", ["hello", "é"], ["", "\"", "a\nb"]),
        ("other-start-rule", "start ::= \"s\" tail\ntail ::= \"t\"", "start", ["st"], ["s"]),
        ("unused-rule", "root ::= \"a\"\nunused ::= \"b\"", "root", ["a"], ["b"]),
        ("empty-language", "root ::= \"\"", "root", [""], ["a"]),
        ("optional-empty-literal", "root ::= \"a\" \"\" \"b\"", "root", ["ab"], ["a"]),
        ("tabs-and-spaces", "root\t::=\t\"a\"\t\t|  \"b\"   ", "root", ["a", "b"], [" "]),
    ];

    /// <summary>Invalid grammars: (name, grammar, start rule, a fragment the message must contain).</summary>
    public static readonly (string Name, string Gbnf, string Root, string Message)[] Bad =
    [
        ("unclosed-group", "root ::= ( \"unclosed\"", "root", "'(' is never closed"),
        ("unclosed-literal", "root ::= \"abc", "root", "string literal is never closed"),
        ("unclosed-class", "root ::= [a-z", "root", "character class is never closed"),
        ("undefined-rule", "root ::= item", "root", "'item' is used but never defined"),
        ("empty", string.Empty, "root", "defines no rules"),
        ("only-comments", "# nothing here\n\n", "root", "defines no rules"),
        ("missing-root", "start ::= \"x\"", "root", "no rule named 'root'"),
        ("direct-left-recursion", "root ::= root \"a\" | \"b\"", "root", "left recursion"),
        ("indirect-left-recursion", "root ::= a \"x\"\na ::= root \"y\" | \"z\"", "root", "left recursion"),
        ("left-recursion-through-empty-rule", "root ::= a root \"x\" | \"y\"\na ::= b\nb ::= \"\"", "root", "left recursion"),
        ("repeated-optional", "root ::= \"a\"?*", "root", "left recursion"),
        ("repeated-empty-group", "root ::= (\"a\" | \"\")*", "root", "left recursion"),
        ("duplicate-rule", "root ::= \"a\"\nroot ::= \"b\"", "root", "defined twice"),
        ("repetition-minimum-too-large", "root ::= \"a\"{2001}", "root", "exceeds llama.cpp's limit"),
        ("repetition-maximum-too-large", "root ::= \"a\"{0,2001}", "root", "silently make it unbounded"),
        ("repetition-maximum-below-minimum", "root ::= \"a\"{3,1}", "root", "maximum below its minimum"),
        ("repetition-rule-explosion", "root ::= (\"a\"{0,100}){0,100}", "root", "would create"),
        ("repetition-at-threshold", "root ::= \"a\"{2000}", "root", "would create 2000 rules"),
        ("nothing-to-repeat", "root ::= * \"a\"", "root", "has nothing to repeat"),
        ("empty-literal-repeated", "root ::= \"\"{2}", "root", "has nothing to repeat"),
        ("unknown-escape", "root ::= \"\\q\"", "root", "unknown escape"),
        ("dash-escape", "root ::= \"\\-\"", "root", "unknown escape"),
        ("short-hex-escape", "root ::= \"\\x4\"", "root", "expecting 2 hex digits"),
        ("empty-class", "root ::= []", "root", "is empty"),
        ("reversed-range", "root ::= [z-a]", "root", "is reversed"),
        ("nul-literal", "root ::= \"\\x00\"", "root", "code point 0"),
        ("class-matching-nothing", "root ::= [^\\x01-\\U0010FFFF]", "root", "matches no character"),
        ("never-finishes", "root ::= \"a\" root", "root", "can never finish"),
        ("named-token", "root ::= <hello>", "root", "Write the token id instead"),
        ("token-after-character", "root ::= \"a\" !<[1]>", "root", "can directly follow a character"),
        ("token-after-character-through-rules", "root ::= a b\na ::= \"x\" c\nc ::= \"\"\nb ::= c <[5]>", "root", "can directly follow a character"),
        ("token-after-repeated-character", "root ::= (<[1]> \"a\")*", "root", "can directly follow a character"),
        ("bang-without-token", "root ::= !x", "root", "expecting '<' after '!'"),
        ("bar-on-next-line", "root ::= \"a\"\n  | \"b\"", "root", "expecting a rule name"),
        ("trailing-bar-swallows-next-rule", "root ::= \"a\" |\nnext ::= \"b\"", "root", "write an empty alternative as \"\""),
        ("underscore-in-name", "root_1 ::= \"a\"", "root", "no '_'"),
        ("stray-close-paren", "root ::= \"a\" )", "root", "')' without a matching '('"),
        ("missing-repetition-count", "root ::= \"x\"{,3}", "root", "expecting a number after '{'"),
        ("bad-repetition-separator", "root ::= \"x\"{2 3}", "root", "expecting ',' or '}'"),
        ("single-colon-equals", "root = \"x\"", "root", "expecting '::='"),
        ("nul-character", "root ::= \"a\0\"", "root", "NUL character"),
        ("unpaired-surrogate", "root ::= \"\uD800\"", "root", "unpaired UTF-16 surrogate"),
        ("token-id-out-of-range", "root ::= <[99999999999]>", "root", "out of range"),
        ("nesting-too-deep", "root ::= " + new string('(', 201) + "\"a\"" + new string(')', 201), "root", "nested more than 200"),
        ("exponential-left-recursion-check", ExponentialSearch(40), "root", "too complex"),
        ("invalid-root-name", "root ::= \"a\"", "my root", "is not a GBNF rule name"),
    ];

    // r0 ::= r1 "a" | r1 "b", r1 ::= r2 "a" | r2 "b", ...: llama.cpp's unmemoised search visits 2^n paths.
    private static string ExponentialSearch(int depth)
    {
        var lines = new List<string> { "root ::= r0" };
        for (int i = 0; i < depth; i++)
        {
            lines.Add($"r{i} ::= r{i + 1} \"a\" | r{i + 1} \"b\"");
        }

        lines.Add($"r{depth} ::= \"c\"");
        return string.Join("\n", lines);
    }
}
