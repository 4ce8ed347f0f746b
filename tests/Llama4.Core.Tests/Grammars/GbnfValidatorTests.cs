using Llama4.Core.Grammars;

namespace Llama4.Core.Tests.Grammars;

public sealed class GbnfValidatorTests
{
    public static TheoryData<string> GoodNames => [.. GbnfCorpus.Good.Select(g => g.Name)];

    public static TheoryData<string> BadNames => [.. GbnfCorpus.Bad.Select(g => g.Name)];

    [Theory]
    [MemberData(nameof(GoodNames))]
    public void Validate_GoodGrammar_Accepts(string name)
    {
        var (_, gbnf, root, accepted, rejected) = GbnfCorpus.Good.Single(g => g.Name == name);

        var grammar = GbnfValidator.Parse(gbnf, root);

        var matcher = new GbnfMatcher(grammar);
        Assert.All(accepted, text => Assert.True(matcher.Accepts(text), $"'{text}' should match {name}"));
        Assert.All(rejected, text => Assert.False(matcher.Accepts(text), $"'{text}' should not match {name}"));
    }

    [Theory]
    [MemberData(nameof(BadNames))]
    public void Validate_BadGrammar_ThrowsWithUsefulMessage(string name)
    {
        var (_, gbnf, root, message) = GbnfCorpus.Bad.Single(g => g.Name == name);

        var error = Assert.Throws<Llama4GrammarException>(() => GbnfValidator.Validate(gbnf, root));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length > 40, error.Message);
    }

    [Fact]
    public void Validate_ErrorOnLaterLine_ReportsLineAndColumn()
    {
        var error = Assert.Throws<Llama4GrammarException>(() => GbnfValidator.Validate("root ::= a\n# comment\na ::= \"x\" [b-a]"));

        Assert.Equal(3, error.Line);
        Assert.Equal(12, error.Column);
        Assert.StartsWith("GBNF grammar error at line 3, column 12:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UndefinedRule_PointsAtFirstReference()
    {
        var error = Assert.Throws<Llama4GrammarException>(() => GbnfValidator.Validate("root ::= \"a\" b\nc ::= b"));

        Assert.Equal((1, 14), (error.Line, error.Column));
    }

    [Fact]
    public void Validate_IndirectLeftRecursion_NamesTheCycle()
    {
        var error = Assert.Throws<Llama4GrammarException>(() => GbnfValidator.Validate("root ::= a\na ::= b \"x\"\nb ::= c? a | \"y\"\nc ::= \"z\""));

        Assert.Contains("a -> b", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Groups_CreateRulesLikeLlamaCpp()
    {
        var grammar = GbnfValidator.Parse("root ::= (\"a\" | b)* c\nb ::= \"b\"\nc ::= \"c\"");

        // llama.cpp: root=0, root_1 (group)=1, b=2, root_3 (star)=3, c=4.
        Assert.Equal(["root", "root_1", "b", "root_3", "c"], grammar.SymbolNames);
        Assert.Equal([false, true, false, true, false], grammar.Generated);
    }

    [Fact]
    public void Validate_RepetitionOfGroupWithinLimit_Accepts()
    {
        // The group expands to 1 + 99 rules; 100 x 19 = 1900 stays below llama.cpp's limit of 2000.
        GbnfValidator.Validate("root ::= (\"a\"{0,99}){0,19}");

        Assert.Throws<Llama4GrammarException>(() => GbnfValidator.Validate("root ::= (\"a\"{0,99}){0,20}"));
    }

    [Fact]
    public void Validate_RepetitionOfNamedRule_AllowsLargeCounts()
    {
        GbnfValidator.Validate("root ::= item{0,1999}\nitem ::= \"a\"{0,99} \"b\"");
    }

    [Fact]
    public void Validate_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => GbnfValidator.Validate(null!));
        Assert.Throws<ArgumentNullException>(() => GbnfValidator.Validate("root ::= \"a\"", null!));
    }
}
