using System.Collections.Immutable;
using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace Llama4.Core.Grammars;

/// <summary>
/// Turns one JSON Schema (and the local <c>$ref</c>s inside it) into rules of a <see cref="GbnfGrammarBuilder"/>. See
/// <see cref="GbnfGrammarBuilder.AddJsonSchema"/> for what is supported.
/// </summary>
internal sealed class JsonSchemaConverter
{
    private static readonly HashSet<string> Annotations = new(StringComparer.Ordinal)
    {
        "title", "description", "default", "examples", "example", "$schema", "$id", "$comment", "readOnly", "writeOnly",
        "deprecated", "strict", "$defs", "definitions",
    };

    private static readonly HashSet<string> Constraints = new(StringComparer.Ordinal)
    {
        "type", "enum", "const", "properties", "required", "additionalProperties", "items", "minItems", "maxItems",
        "uniqueItems", "minLength", "maxLength", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
        "anyOf", "oneOf", "allOf", "$ref", "nullable",
    };

    // Validation keywords of JSON Schema that a grammar cannot enforce. Any other keyword the converter does not know is
    // an annotation, as the JSON Schema specification says of unknown keywords (Semantic Kernel, for example, adds
    // "condition" to every kernel function's schema).
    private static readonly HashSet<string> Unenforceable = new(StringComparer.Ordinal)
    {
        "pattern", "patternProperties", "multipleOf", "minProperties", "maxProperties", "propertyNames", "dependencies",
        "dependentRequired", "dependentSchemas", "if", "then", "else", "not", "contains", "minContains", "maxContains",
        "prefixItems", "additionalItems", "unevaluatedItems", "unevaluatedProperties", "contentEncoding",
        "contentMediaType", "contentSchema", "$dynamicRef", "$recursiveRef", "$dynamicAnchor", "$recursiveAnchor",
    };

    private static readonly string[] TypeNames = ["null", "boolean", "object", "array", "number", "integer", "string"];
    private static readonly string[] ObjectKeywords = ["properties", "required", "additionalProperties"];
    private static readonly string[] ArrayKeywords = ["items", "minItems", "maxItems", "uniqueItems"];
    private static readonly string[] StringKeywords = ["minLength", "maxLength", "format"];
    private static readonly string[] NumberKeywords = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"];

    private readonly GbnfGrammarBuilder _builder;
    private readonly JsonElement _root;
    private readonly JsonSchemaGrammarOptions _options;
    private readonly Dictionary<string, string?> _references = new(StringComparer.Ordinal);
    private string? _recursionLimitPath;

    /// <summary>Creates a converter for one schema document.</summary>
    /// <param name="builder">The builder that receives the rules.</param>
    /// <param name="root">The schema; local references resolve against it.</param>
    public JsonSchemaConverter(GbnfGrammarBuilder builder, JsonElement root)
    {
        _builder = builder;
        _root = root;
        _options = builder.Options;
    }

    /// <summary>Converts the schema.</summary>
    /// <param name="nameHint">A hint for the rule names.</param>
    /// <returns>The name of the rule matching the schema's JSON texts.</returns>
    /// <exception cref="Llama4JsonSchemaException">The schema cannot be converted.</exception>
    public string Convert(string nameHint)
    {
        ArgumentNullException.ThrowIfNull(nameHint);
        var depths = ImmutableSortedDictionary<string, int>.Empty.WithComparers(StringComparer.Ordinal).Add("#", 1);
        return Generate(_root, "#", depths, nameHint) ?? throw new Llama4JsonSchemaException(
            $"The recursive schema at {_recursionLimitPath ?? "#"} has no finite value within MaxRecursionDepth ({_options.MaxRecursionDepth}): every alternative recurses again. " +
            "Make the recursion optional (an optional property, an array that may be empty, or a null alternative).",
            "$ref",
            _recursionLimitPath ?? "#");
    }

    /// <summary>Creates the exception for a keyword the converter cannot enforce.</summary>
    /// <param name="keyword">The keyword.</param>
    /// <param name="path">The JSON pointer of the keyword.</param>
    /// <param name="message">What is wrong and what to do.</param>
    /// <returns>The exception.</returns>
    public static Llama4JsonSchemaException Error(string keyword, string path, string message) =>
        new($"JSON Schema keyword '{keyword}' at {path}: {message}", keyword, path);

    /// <summary>Appends a JSON pointer segment, escaping '~' and '/'.</summary>
    /// <param name="path">The pointer.</param>
    /// <param name="segment">The segment.</param>
    /// <returns>The longer pointer.</returns>
    public static string Child(string path, string segment) => path + "/" + segment.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    /// <summary>Resolves a local reference (<c>#</c> or <c>#/...</c>) against a document.</summary>
    /// <param name="root">The document.</param>
    /// <param name="reference">The reference.</param>
    /// <param name="path">The pointer of the <c>$ref</c> keyword, for errors.</param>
    /// <returns>The referenced schema.</returns>
    /// <exception cref="Llama4JsonSchemaException">The reference is not local or does not resolve.</exception>
    public static JsonElement Resolve(JsonElement root, string reference, string path)
    {
        if (reference == "#")
        {
            return root;
        }

        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            throw Error("$ref", path, $"only local references (\"#\" or \"#/...\") are supported, not \"{reference}\". Inline the referenced schema or move it under \"$defs\".");
        }

        var current = root;
        foreach (string raw in reference[2..].Split('/'))
        {
            string segment = Uri.UnescapeDataString(raw).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(segment, out var next))
            {
                current = next;
            }
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out int index) && index < current.GetArrayLength())
            {
                current = current[index];
            }
            else
            {
                throw Error("$ref", path, $"the reference \"{reference}\" does not resolve within the schema.");
            }
        }

        return current;
    }

    private string? Generate(JsonElement schema, string path, ImmutableSortedDictionary<string, int> depths, string hint)
    {
        switch (schema.ValueKind)
        {
            case JsonValueKind.True:
                return _builder.AddAnyJsonValue();
            case JsonValueKind.False:
                throw Error("false", path, "the schema 'false' accepts no value, so nothing could be generated. Remove the property or give it a schema.");
            case JsonValueKind.Object:
                break;
            default:
                throw Error("(schema)", path, $"a schema must be an object or a boolean, not {schema.ValueKind}.");
        }

        foreach (var member in schema.EnumerateObject())
        {
            if (Unenforceable.Contains(member.Name))
            {
                throw Error(member.Name, Child(path, member.Name), "this keyword is not supported: a grammar cannot enforce it. Remove it, or leave the schema unconstrained.");
            }
        }

        if (schema.TryGetProperty("$ref", out var reference))
        {
            return FollowReference(schema, reference, path, depths);
        }

        if (schema.TryGetProperty("allOf", out var allOf))
        {
            RequireOnly(schema, path, "allOf", []);
            if (allOf.ValueKind != JsonValueKind.Array || allOf.GetArrayLength() != 1)
            {
                throw Error("allOf", Child(path, "allOf"), "only an allOf with exactly one schema is supported: merging several schemas cannot be done exactly. Merge them into one schema, or use anyOf.");
            }

            return Generate(allOf[0], Child(Child(path, "allOf"), "0"), depths, hint);
        }

        bool hasAnyOf = schema.TryGetProperty("anyOf", out var anyOf);
        bool hasOneOf = schema.TryGetProperty("oneOf", out var oneOf);
        if (hasAnyOf || hasOneOf)
        {
            return Alternatives(schema, path, depths, hint, hasAnyOf, hasAnyOf ? anyOf : oneOf);
        }

        var types = Types(schema, path);
        if (schema.TryGetProperty("enum", out _) || schema.TryGetProperty("const", out _))
        {
            return Enumeration(schema, path, types, hint);
        }

        if (types is null)
        {
            return _builder.AddAnyJsonValue();
        }

        var alternatives = new List<string>();
        foreach (string type in types)
        {
            if (TypeRule(schema, path, depths, hint, type) is { } rule)
            {
                alternatives.Add(rule);
            }
        }

        return alternatives.Count switch
        {
            0 => null,
            1 => alternatives[0],
            _ => _builder.AddRule(hint, string.Join(" | ", alternatives)),
        };
    }

    private string? FollowReference(JsonElement schema, JsonElement reference, string path, ImmutableSortedDictionary<string, int> depths)
    {
        string refPath = Child(path, "$ref");
        if (reference.ValueKind != JsonValueKind.String)
        {
            throw Error("$ref", refPath, "$ref must be a string.");
        }

        foreach (var sibling in schema.EnumerateObject())
        {
            if (sibling.Name != "$ref" && !IsAnnotation(sibling.Name) && !IsVacuous(sibling.Value))
            {
                throw Error(sibling.Name, Child(path, sibling.Name), "a keyword beside $ref would have to be merged with the referenced schema, which is not supported. Move it into the referenced schema.");
            }
        }

        string target = reference.GetString()!;
        var resolved = Resolve(_root, target, refPath);
        string key = target == "#" ? "#" : target;
        int depth = depths.GetValueOrDefault(key);
        if (depth >= _options.MaxRecursionDepth)
        {
            _recursionLimitPath ??= refPath;
            return null;
        }

        var nextDepths = depths.SetItem(key, depth + 1);
        string cacheKey = key + "|" + string.Join(",", nextDepths.Select(d => d.Key + "=" + d.Value.ToString(CultureInfo.InvariantCulture)));
        if (_references.TryGetValue(cacheKey, out string? cached))
        {
            return cached;
        }

        string name = key == "#" ? "root-schema" : key[(key.LastIndexOf('/') + 1)..];
        string? rule = Generate(resolved, key, nextDepths, name);
        _references[cacheKey] = rule;
        return rule;
    }

    private string? Alternatives(JsonElement schema, string path, ImmutableSortedDictionary<string, int> depths, string hint, bool anyOf, JsonElement branches)
    {
        string keyword = anyOf ? "anyOf" : "oneOf";
        string keywordPath = Child(path, keyword);
        if (schema.TryGetProperty("anyOf", out _) && schema.TryGetProperty("oneOf", out _))
        {
            throw Error("oneOf", Child(path, "oneOf"), "anyOf and oneOf together are not supported. Keep one of them.");
        }

        RequireOnly(schema, path, keyword, ["nullable"]);
        if (branches.ValueKind != JsonValueKind.Array || branches.GetArrayLength() == 0)
        {
            throw Error(keyword, keywordPath, $"{keyword} must be a non-empty array of schemas.");
        }

        var alternatives = new List<string>();
        int index = 0;
        foreach (var branch in branches.EnumerateArray())
        {
            if (Generate(branch, Child(keywordPath, index.ToString(CultureInfo.InvariantCulture)), depths, hint + "-" + index.ToString(CultureInfo.InvariantCulture)) is { } rule)
            {
                alternatives.Add(rule);
            }

            index++;
        }

        if (!anyOf)
        {
            JsonSchemaOverlap.RequireDisjoint(_root, branches, keywordPath);
        }

        if (Nullable(schema))
        {
            alternatives.Add(_builder.Null());
        }

        return alternatives.Count == 0 ? null : _builder.AddRule(hint, string.Join(" | ", alternatives.Distinct(StringComparer.Ordinal)));
    }

    private string Enumeration(JsonElement schema, string path, List<string>? types, string hint)
    {
        RequireOnly(schema, path, schema.TryGetProperty("enum", out _) ? "enum" : "const", ["type", "nullable", "enum", "const"]);
        var values = new List<JsonElement>();
        if (schema.TryGetProperty("enum", out var enumValues))
        {
            if (enumValues.ValueKind != JsonValueKind.Array || enumValues.GetArrayLength() == 0)
            {
                throw Error("enum", Child(path, "enum"), "enum must be a non-empty array.");
            }

            values.AddRange(enumValues.EnumerateArray());
        }

        if (schema.TryGetProperty("const", out var constant))
        {
            values = values.Count == 0 ? [constant] : [.. values.Where(v => JsonText.ValueEquals(v, constant))];
        }

        var literals = values
            .Where(v => types is null || types.Contains(JsonText.TypeOf(v)) || (JsonText.TypeOf(v) == "integer" && types.Contains("number")))
            .Select(_builder.ValueLiteral)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (literals.Count == 0)
        {
            string keyword = schema.TryGetProperty("enum", out _) ? "enum" : "const";
            throw Error(keyword, Child(path, keyword), "no listed value has the schema's type, so no value is valid. Fix the values or the type.");
        }

        return _builder.AddRule(hint, string.Join(" | ", literals));
    }

    // The types to generate, or null for any JSON value.
    private static List<string>? Types(JsonElement schema, string path)
    {
        var types = new List<string>();
        if (schema.TryGetProperty("type", out var type))
        {
            IEnumerable<JsonElement> names = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray() : [type];
            foreach (var name in names)
            {
                string? text = name.ValueKind == JsonValueKind.String ? name.GetString() : null;
                if (text is null || !TypeNames.Contains(text))
                {
                    throw Error("type", Child(path, "type"), $"unknown type {name.GetRawText()}; the types are {string.Join(", ", TypeNames)}.");
                }

                if (!types.Contains(text))
                {
                    types.Add(text);
                }
            }

            if (types.Count == 0)
            {
                throw Error("type", Child(path, "type"), "an empty type list accepts no value.");
            }
        }
        else
        {
            if (ObjectKeywords.Any(k => schema.TryGetProperty(k, out _)))
            {
                types.Add("object");
            }

            if (ArrayKeywords.Any(k => schema.TryGetProperty(k, out _)))
            {
                types.Add("array");
            }

            if (StringKeywords.Any(k => schema.TryGetProperty(k, out _)) && !IsNumericFormat(schema))
            {
                types.Add("string");
            }

            if (NumberKeywords.Any(k => schema.TryGetProperty(k, out _)) || IsNumericFormat(schema))
            {
                types.Add("number");
            }

            if (types.Count == 0)
            {
                return null;
            }
        }

        if (Nullable(schema) && !types.Contains("null"))
        {
            types.Add("null");
        }

        if (types.Contains("number"))
        {
            types.Remove("integer");
        }

        return types;
    }

    private static bool Nullable(JsonElement schema) => schema.TryGetProperty("nullable", out var nullable) && nullable.ValueKind == JsonValueKind.True;

    private static bool IsNumericFormat(JsonElement schema) =>
        schema.TryGetProperty("format", out var format) && format.ValueKind == JsonValueKind.String && JsonFormatGrammars.IsNumeric(format.GetString()!);

    private string? TypeRule(JsonElement schema, string path, ImmutableSortedDictionary<string, int> depths, string hint, string type) => type switch
    {
        "null" => _builder.Null(),
        "boolean" => _builder.Boolean(),
        "string" => StringRule(schema, path),
        "integer" => IntegerRule(schema, path, hint),
        "number" => NumberRule(schema, path, hint),
        "array" => ArrayRule(schema, path, depths, hint),
        _ => ObjectRule(schema, path, depths, hint),
    };

    private string StringRule(JsonElement schema, string path)
    {
        int? minLength = Count(schema, path, "minLength");
        int? maxLength = Count(schema, path, "maxLength");
        if (schema.TryGetProperty("format", out var format))
        {
            string name = format.ValueKind == JsonValueKind.String ? format.GetString()! : format.GetRawText();
            if (JsonFormatGrammars.IsNumeric(name))
            {
                throw Error("format", Child(path, "format"), $"the format \"{name}\" applies to numbers, not strings.");
            }

            var (rule, shortest, longest) = JsonFormatGrammars.Get(_builder, name)
                ?? throw Error("format", Child(path, "format"), $"the format \"{name}\" is not supported; supported are {string.Join(", ", JsonFormatGrammars.StringFormats)}. Remove it, or leave the string unconstrained.");
            if ((minLength ?? 0) > shortest || (maxLength ?? int.MaxValue) < longest)
            {
                string keyword = (minLength ?? 0) > shortest ? "minLength" : "maxLength";
                throw Error(keyword, Child(path, keyword), $"a length bound that excludes some \"{name}\" values (they are {shortest} to {longest} characters) is not supported together with the format. Remove the bound.");
            }

            return rule;
        }

        int min = minLength ?? 0;
        if (min > JsonSchemaGrammarOptions.MaxSupportedCount)
        {
            throw Error("minLength", Child(path, "minLength"), $"a minimum length above {JsonSchemaGrammarOptions.MaxSupportedCount} is not supported.");
        }

        int max = Math.Min(maxLength ?? Math.Max(_options.MaxStringLength, min), JsonSchemaGrammarOptions.MaxSupportedCount);
        if (min > max)
        {
            throw Error("minLength", Child(path, "minLength"), "minLength is above maxLength, so no string is valid.");
        }

        return _builder.JsonString(min, max);
    }

    private string IntegerRule(JsonElement schema, string path, string hint)
    {
        var (lower, upper) = Bounds(schema, path);
        int capDigits = NumericGrammar.CapDigits(lower?.Value, upper?.Value, _options.MaxNumberDigits);
        var cap = BigInteger.Pow(10, capDigits) - 1;
        var lo = lower is { } l ? (l.Exclusive ? l.Value.Floor() + 1 : l.Value.Ceiling()) : -cap;
        var hi = upper is { } u ? (u.Exclusive ? u.Value.Ceiling() - 1 : u.Value.Floor()) : cap;
        if (lo > hi)
        {
            throw Error("minimum", Child(path, "minimum"), "the bounds leave no integer, so no value is valid.");
        }

        return _builder.AddRule(hint + "-int", NumericGrammar.Integer(lo, hi, _builder.AddRule));
    }

    private string NumberRule(JsonElement schema, string path, string hint)
    {
        var (lower, upper) = Bounds(schema, path);
        if (lower is null && upper is null)
        {
            return _builder.AnyNumber();
        }

        string body = NumericGrammar.Decimal(lower, upper, _options.MaxNumberDigits, _options.MaxFractionDigits, _builder.AddRule)
            ?? throw Error("minimum", Child(path, "minimum"), $"no number with at most {_options.MaxFractionDigits} fraction digits lies within the bounds. Widen the bounds or raise MaxFractionDigits.");
        return _builder.AddRule(hint + "-number", body);
    }

    // The effective bounds: the strictest of minimum/exclusiveMinimum (number or draft-04 boolean) and of a numeric format.
    private static ((ExactDecimal Value, bool Exclusive)? Lower, (ExactDecimal Value, bool Exclusive)? Upper) Bounds(JsonElement schema, string path)
    {
        var lowers = new List<(ExactDecimal Value, bool Exclusive)>();
        var uppers = new List<(ExactDecimal Value, bool Exclusive)>();
        bool draft4ExclusiveMin = schema.TryGetProperty("exclusiveMinimum", out var em) && em.ValueKind == JsonValueKind.True;
        bool draft4ExclusiveMax = schema.TryGetProperty("exclusiveMaximum", out var eM) && eM.ValueKind == JsonValueKind.True;
        if (Bound(schema, path, "minimum") is { } minimum)
        {
            lowers.Add((minimum, draft4ExclusiveMin));
        }

        if (Bound(schema, path, "exclusiveMinimum") is { } exclusiveMinimum)
        {
            lowers.Add((exclusiveMinimum, true));
        }

        if (Bound(schema, path, "maximum") is { } maximum)
        {
            uppers.Add((maximum, draft4ExclusiveMax));
        }

        if (Bound(schema, path, "exclusiveMaximum") is { } exclusiveMaximum)
        {
            uppers.Add((exclusiveMaximum, true));
        }

        if (schema.TryGetProperty("format", out var format) && format.ValueKind == JsonValueKind.String && JsonFormatGrammars.NumericRange(format.GetString()!) is { } range)
        {
            lowers.Add((ExactDecimal.FromInteger(range.Min), false));
            uppers.Add((ExactDecimal.FromInteger(range.Max), false));
        }

        (ExactDecimal, bool)? lower = lowers.Count == 0 ? null : lowers.OrderByDescending(b => b.Value).ThenByDescending(b => b.Exclusive).First();
        (ExactDecimal, bool)? upper = uppers.Count == 0 ? null : uppers.OrderBy(b => b.Value).ThenByDescending(b => b.Exclusive).First();
        return (lower, upper);
    }

    private static ExactDecimal? Bound(JsonElement schema, string path, string keyword)
    {
        if (!schema.TryGetProperty(keyword, out var value) || value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !ExactDecimal.TryParse(value.GetRawText(), out var bound)
            || bound.MagnitudeIntegerPart.ToString(CultureInfo.InvariantCulture).Length > NumericGrammar.MaxDigits)
        {
            throw Error(keyword, Child(path, keyword), $"{keyword} must be a number of at most {NumericGrammar.MaxDigits} integer digits.");
        }

        return bound;
    }

    private static int? Count(JsonElement schema, string path, string keyword)
    {
        if (!schema.TryGetProperty(keyword, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !ExactDecimal.TryParse(value.GetRawText(), out var count) || !count.IsInteger || count.Sign < 0)
        {
            throw Error(keyword, Child(path, keyword), $"{keyword} must be a non-negative integer.");
        }

        return count.Unscaled > int.MaxValue ? int.MaxValue : (int)count.Unscaled;
    }

    private string? ArrayRule(JsonElement schema, string path, ImmutableSortedDictionary<string, int> depths, string hint)
    {
        if (schema.TryGetProperty("uniqueItems", out var unique) && unique.ValueKind != JsonValueKind.False)
        {
            throw Error("uniqueItems", Child(path, "uniqueItems"), "a grammar cannot keep array items distinct. Remove uniqueItems, or check uniqueness after generation.");
        }

        int min = Count(schema, path, "minItems") ?? 0;
        int? maxItems = Count(schema, path, "maxItems");
        if (min > JsonSchemaGrammarOptions.MaxSupportedCount)
        {
            throw Error("minItems", Child(path, "minItems"), $"a minimum above {JsonSchemaGrammarOptions.MaxSupportedCount} items is not supported.");
        }

        int max = Math.Min(maxItems ?? Math.Max(_options.MaxArrayItems, min), JsonSchemaGrammarOptions.MaxSupportedCount);
        if (min > max)
        {
            throw Error("minItems", Child(path, "minItems"), "minItems is above maxItems, so no array is valid.");
        }

        string? item;
        if (schema.TryGetProperty("items", out var items))
        {
            if (items.ValueKind == JsonValueKind.Array)
            {
                throw Error("items", Child(path, "items"), "the tuple form of items (an array of schemas) is not supported. Use one schema for all items.");
            }

            item = Generate(items, Child(path, "items"), depths, hint + "-item");
        }
        else
        {
            item = _builder.AddAnyJsonValue();
        }

        if (item is null && min > 0)
        {
            return null;
        }

        return _builder.Array(hint + "-array", item, min, max);
    }

    private string? ObjectRule(JsonElement schema, string path, ImmutableSortedDictionary<string, int> depths, string hint)
    {
        var required = new List<string>();
        if (schema.TryGetProperty("required", out var requiredNames))
        {
            if (requiredNames.ValueKind != JsonValueKind.Array || requiredNames.EnumerateArray().Any(n => n.ValueKind != JsonValueKind.String))
            {
                throw Error("required", Child(path, "required"), "required must be an array of property names.");
            }

            required.AddRange(requiredNames.EnumerateArray().Select(n => n.GetString()!).Distinct(StringComparer.Ordinal));
        }

        bool hasProperties = schema.TryGetProperty("properties", out var properties);
        if (hasProperties && properties.ValueKind != JsonValueKind.Object)
        {
            throw Error("properties", Child(path, "properties"), "properties must be an object.");
        }

        JsonElement? additional = schema.TryGetProperty("additionalProperties", out var additionalSchema) ? additionalSchema : null;
        bool extrasAllowed = additional is { ValueKind: not JsonValueKind.False } || (additional is null && !hasProperties);

        var declared = new List<(string Name, JsonElement Schema, string Path)>();
        if (hasProperties)
        {
            string propertiesPath = Child(path, "properties");
            declared.AddRange(properties.EnumerateObject().Select(p => (p.Name, p.Value, Child(propertiesPath, p.Name))));
        }

        foreach (string name in required.Where(r => !declared.Exists(d => d.Name == r)))
        {
            if (!extrasAllowed)
            {
                throw Error("required", Child(path, "required"), $"the required property \"{name}\" is not declared and additionalProperties is false, so no object is valid.");
            }

            var schemaOfExtra = additional is { ValueKind: JsonValueKind.Object } a ? a : default;
            declared.Add((name, schemaOfExtra, additional is { ValueKind: JsonValueKind.Object } ? Child(path, "additionalProperties") : path));
        }

        var members = new List<(string Name, string Value, bool Required)>();
        foreach (var (name, propertySchema, propertyPath) in declared)
        {
            bool isRequired = required.Contains(name);
            string? value = propertySchema.ValueKind == JsonValueKind.Undefined
                ? _builder.AddAnyJsonValue()
                : Generate(propertySchema, propertyPath, depths, hint + "-" + name);
            if (value is null)
            {
                if (isRequired)
                {
                    return null;
                }

                continue;
            }

            members.Add((name, value, isRequired));
        }

        string? extraValue = null;
        if (extrasAllowed && _options.MaxAdditionalProperties > 0)
        {
            extraValue = additional is { ValueKind: JsonValueKind.Object } extraSchema
                ? Generate(extraSchema, Child(path, "additionalProperties"), depths, hint + "-value")
                : _builder.AddAnyJsonValue();
        }

        return _builder.Object(hint + "-object", members, extraValue, declared.Select(d => d.Name).ToList());
    }

    private static void RequireOnly(JsonElement schema, string path, string keyword, string[] allowed)
    {
        foreach (var member in schema.EnumerateObject())
        {
            if (member.Name != keyword && !IsAnnotation(member.Name) && !allowed.Contains(member.Name))
            {
                throw Error(member.Name, Child(path, member.Name), $"this keyword beside {keyword} would have to be merged into every branch, which is not supported. Move it into the {keyword} schemas.");
            }
        }
    }

    private static bool IsVacuous(JsonElement value) =>
        value.ValueKind == JsonValueKind.True
        || (value.ValueKind == JsonValueKind.Object && value.EnumerateObject().All(m => IsAnnotation(m.Name)));

    private static bool IsAnnotation(string keyword) =>
        Annotations.Contains(keyword) || (!Constraints.Contains(keyword) && !Unenforceable.Contains(keyword));
}
