using Llama4.Core.Grammars;

namespace Llama4.Core.Tests.Grammars;

/// <summary>Schemas used for constrained generation on the tiny model and for sampling tests.</summary>
internal static class SchemaCorpus
{
    /// <summary>
    /// Bounds that keep random-weight generations short (a random model writes strings to their maximum length) and
    /// ASCII-only raw string characters (a model sampling raw bytes can emit overlong UTF-8, which llama.cpp's grammar
    /// accepts; see <see cref="JsonSchemaGrammarOptions.AsciiOnlyStrings"/>).
    /// </summary>
    public static readonly JsonSchemaGrammarOptions TinyModelOptions = new()
    {
        MaxStringLength = 8,
        MaxArrayItems = 4,
        MaxAdditionalProperties = 3,
        MaxPropertyNameLength = 6,
        MaxNumberDigits = 6,
        MaxFractionDigits = 4,
        MaxRecursionDepth = 3,
        AsciiOnlyStrings = true,
    };

    public static readonly (string Name, string Schema)[] Schemas =
    [
        ("nested-objects", """
            {"type":"object","properties":{
              "user":{"type":"object","properties":{"name":{"type":"string","minLength":1,"maxLength":6},"age":{"type":"integer","minimum":0,"maximum":120}},"required":["name","age"]},
              "active":{"type":"boolean"},
              "extra":{"type":"object","additionalProperties":{"type":"integer","minimum":0,"maximum":9}}},
             "required":["user"]}
            """),
        ("array-bounds", """{"type":"array","items":{"type":"integer","minimum":-9,"maximum":9},"minItems":2,"maxItems":4}"""),
        ("enums", """
            {"type":"object","properties":{"color":{"enum":["red","green","blue"]},"size":{"type":"string","enum":["S","M","L"]},"code":{"enum":[1,2.5,null,true]}},
             "required":["color","size","code"],"additionalProperties":false}
            """),
        ("integer-bounds", """
            {"type":"object","properties":{"t":{"type":"integer","minimum":-273,"maximum":-100},"n":{"type":"integer","exclusiveMinimum":-5,"exclusiveMaximum":5},"big":{"type":"integer","minimum":1000}},
             "required":["t","n","big"]}
            """),
        ("number-bounds", """
            {"type":"object","properties":{"p":{"type":"number","minimum":-1.5,"maximum":2.25},"q":{"type":"number","exclusiveMinimum":0,"exclusiveMaximum":0.5},"r":{"type":"number","maximum":-10.125}},
             "required":["p","q","r"]}
            """),
        ("nullable", """
            {"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{"a":{"type":["string","null"],"maxLength":4},"b":{"type":["integer","null"],"minimum":0,"maximum":9},"c":{"type":"number","nullable":true,"minimum":0,"maximum":1}},
             "required":["a","b","c"]}
            """),
        ("any-of", """{"type":"array","maxItems":3,"items":{"anyOf":[{"type":"integer","minimum":0,"maximum":99},{"type":"string","maxLength":3},{"type":"null"},{"$ref":"#/$defs/point"}]},"$defs":{"point":{"type":"object","properties":{"x":{"type":"integer","minimum":0,"maximum":9}},"required":["x"]}}}"""),
        ("one-of", """{"oneOf":[{"type":"object","properties":{"kind":{"const":"circle"},"r":{"type":"number","minimum":0,"maximum":10}},"required":["kind","r"]},{"type":"object","properties":{"kind":{"const":"square"},"side":{"type":"integer","minimum":1,"maximum":5}},"required":["kind","side"]}]}"""),
        ("recursive-tree", """{"type":"object","properties":{"v":{"type":"integer","minimum":0,"maximum":9},"kids":{"type":"array","items":{"$ref":"#"},"maxItems":2}},"required":["v","kids"]}"""),
        ("formats", """
            {"type":"object","properties":{"d":{"type":"string","format":"date"},"dt":{"type":"string","format":"date-time"},"t":{"type":"string","format":"time"},"id":{"type":"string","format":"uuid"},"e":{"type":"string","format":"email"}},
             "required":["d","dt","t","id","e"]}
            """),
    ];
}
