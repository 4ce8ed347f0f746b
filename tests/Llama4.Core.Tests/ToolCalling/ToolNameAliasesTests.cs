using Llama4.Core.ToolCalling;

namespace Llama4.Core.Tests.ToolCalling;

public sealed class ToolNameAliasesTests
{
    [Theory]
    [InlineData("get_weather")]
    [InlineData("_private")]
    [InlineData("GetWeather2")]
    [InlineData("天气")]
    [InlineData("café")]
    [InlineData("match")]
    [InlineData("type")]
    [InlineData("_")]
    public void Create_NameThatIsAnIdentifier_MapsToItself(string name)
    {
        Assert.Equal(name, ToolNameAliases.Create([name])[name]);
    }

    [Theory]
    [InlineData("class", "class_")]
    [InlineData("None", "None_")]
    [InlineData("lambda", "lambda_")]
    [InlineData("get-weather", "get_weather")]
    [InlineData("weather.get", "weather_get")]
    [InlineData("Tool Name", "Tool_Name")]
    [InlineData("3d-render", "_3d_render")]
    [InlineData("🔥fire", "_fire")]
    [InlineData("", "tool")]
    [InlineData("   ", "___")]
    [InlineData("-", "_")]
    [InlineData("a/b:c", "a_b_c")]
    public void Create_NameThatIsNotAnIdentifier_GetsASanitisedAlias(string name, string alias)
    {
        Assert.Equal(alias, ToolNameAliases.Create([name])[name]);
    }

    [Fact]
    public void Create_AliasCollidingWithARealName_IsNumbered()
    {
        var aliases = ToolNameAliases.Create(["get-weather", "get_weather"]);

        Assert.Equal("get_weather", aliases["get_weather"]);
        Assert.Equal("get_weather_2", aliases["get-weather"]);
    }

    [Fact]
    public void Create_SeveralNamesSanitisingAlike_GetDistinctAliasesInOrdinalOrder()
    {
        var aliases = ToolNameAliases.Create(["a.b", "a-b", "a b", "a_b_2"]);

        Assert.Equal("a_b", aliases["a b"]);
        Assert.Equal("a_b_3", aliases["a-b"]);
        Assert.Equal("a_b_4", aliases["a.b"]);
        Assert.Equal("a_b_2", aliases["a_b_2"]);
    }

    [Fact]
    public void Create_EmptyNameBesideATool_NamedTool_IsNumbered()
    {
        var aliases = ToolNameAliases.Create(["", "tool"]);

        Assert.Equal("tool", aliases["tool"]);
        Assert.Equal("tool_2", aliases[""]);
    }

    [Fact]
    public void Create_DuplicateNames_GiveOneEntry()
    {
        var aliases = ToolNameAliases.Create(["x-y", "x-y", "z"]);

        Assert.Equal(2, aliases.Count);
        Assert.Equal("x_y", aliases["x-y"]);
    }

    [Fact]
    public void Create_DoesNotDependOnTheOrderOfNames()
    {
        string[] names = ["b-c", "b.c", "b_c", "class", "class_", "", "Tool Name", "tool name", "天气-今天"];

        var forward = ToolNameAliases.Create(names);
        var backward = ToolNameAliases.Create(names.Reverse().ToArray());

        Assert.Equal(forward.OrderBy(p => p.Key, StringComparer.Ordinal), backward.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Create_RandomNames_AliasesAreDistinctIdentifiersThatNeverNameAnotherTool(int seed)
    {
        var random = new Random(seed);
        string[] parts = ["get", "-", "_", ".", " ", "weather", "1", "class", "天", "é", "🔥", "", "None", "x"];
        var names = Enumerable.Range(0, 40)
            .Select(_ => string.Concat(Enumerable.Range(0, random.Next(0, 4)).Select(_ => parts[random.Next(parts.Length)])))
            .ToArray();

        var aliases = ToolNameAliases.Create(names);

        Assert.Equal(names.Distinct(StringComparer.Ordinal).Count(), aliases.Count);
        Assert.All(aliases.Values, alias => Assert.True(ToolNameAliases.IsIdentifier(alias), alias));
        Assert.Equal(aliases.Count, aliases.Values.Distinct(StringComparer.Ordinal).Count());
        foreach (var (name, alias) in aliases)
        {
            Assert.True(alias == name || !aliases.ContainsKey(alias), $"alias {alias} of {name} is another tool's name");
        }
    }

    [Theory]
    [InlineData("x", true)]
    [InlineData("x1", true)]
    [InlineData("1x", false)]
    [InlineData("x-y", false)]
    [InlineData("if", false)]
    [InlineData("", false)]
    [InlineData("ünïcödé", true)]
    public void IsIdentifier_Name_MatchesPythonRules(string name, bool expected)
    {
        Assert.Equal(expected, ToolNameAliases.IsIdentifier(name));
    }
}
