using System.Text.Json;

namespace Llama4.Core.Grammars;

/// <summary>
/// Decides, conservatively, whether the branches of a <c>oneOf</c> can never accept the same generated value. A grammar
/// cannot enforce "exactly one branch", so a <c>oneOf</c> is converted only when exclusivity holds by construction:
/// branches of different types, different <c>enum</c>/<c>const</c> values, disjoint numeric ranges, or objects told apart
/// by a required property (one branch requires a property the other never has, or both require it with disjoint values,
/// the usual discriminator). Anything else is refused rather than risk a value that matches two branches.
/// </summary>
internal static class JsonSchemaOverlap
{
    private const int MaxDepth = 8;
    private static readonly string[] AllKinds = ["null", "boolean", "integer", "number", "string", "array", "object"];

    /// <summary>Throws unless every pair of branches is provably disjoint.</summary>
    /// <param name="root">The schema document (for references).</param>
    /// <param name="branches">The oneOf array.</param>
    /// <param name="path">The JSON pointer of the oneOf keyword.</param>
    /// <exception cref="Llama4JsonSchemaException">Two branches may accept the same value.</exception>
    public static void RequireDisjoint(JsonElement root, JsonElement branches, string path)
    {
        var list = branches.EnumerateArray().ToList();
        for (int i = 0; i < list.Count; i++)
        {
            for (int j = i + 1; j < list.Count; j++)
            {
                if (!NeverValid(root, list[i], list[j], 0) || !NeverValid(root, list[j], list[i], 0))
                {
                    throw JsonSchemaConverter.Error(
                        "oneOf",
                        path,
                        $"branches {i} and {j} may both accept the same value, and a grammar cannot enforce that exactly one branch matches. " +
                        "Use anyOf if a value may match several branches, or make the branches disjoint (different types, or a required property with different const values).");
                }
            }
        }
    }

    // True when no value generated from `generated` is valid under `validator` (false when unsure).
    private static bool NeverValid(JsonElement root, JsonElement generated, JsonElement validator, int depth)
    {
        if (depth > MaxDepth)
        {
            return false;
        }

        generated = Resolve(root, generated);
        validator = Resolve(root, validator);
        if (generated.ValueKind == JsonValueKind.False || validator.ValueKind == JsonValueKind.False)
        {
            return true;
        }

        if (generated.ValueKind != JsonValueKind.Object || validator.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        if (Branches(generated) is { } generatedBranches)
        {
            return (!Nullable(generated) || !ValidatorKinds(root, validator, depth).Contains("null"))
                && generatedBranches.All(b => NeverValid(root, b, validator, depth + 1));
        }

        if (Branches(validator) is { } validatorBranches)
        {
            return (!Nullable(validator) || !GeneratedKinds(root, generated, depth).Contains("null"))
                && validatorBranches.All(b => NeverValid(root, generated, b, depth + 1));
        }

        var shared = GeneratedKinds(root, generated, depth).Intersect(ValidatorKinds(root, validator, depth)).ToHashSet(StringComparer.Ordinal);
        if (shared.Count == 0)
        {
            return true;
        }

        if (Values(generated) is { } generatedValues && Values(validator) is { } validatorValues
            && !generatedValues.Any(g => validatorValues.Any(v => JsonText.ValueEquals(g, v))))
        {
            return true;
        }

        if (shared.All(k => k is "integer" or "number") && RangesDisjoint(generated, validator))
        {
            return true;
        }

        return shared.SetEquals(["object"]) && ObjectsDisjoint(root, generated, validator, depth);
    }

    private static bool ObjectsDisjoint(JsonElement root, JsonElement generated, JsonElement validator, int depth)
    {
        var generatedProperties = Properties(generated);
        var generatedRequired = Required(generated);
        bool generatedExtras = generated.TryGetProperty("additionalProperties", out var extra)
            ? extra.ValueKind != JsonValueKind.False
            : !generated.TryGetProperty("properties", out _);

        foreach (string name in Required(validator))
        {
            if (!generatedExtras && !generatedProperties.ContainsKey(name) && !generatedRequired.Contains(name))
            {
                return true;
            }
        }

        var validatorProperties = Properties(validator);
        foreach (string name in generatedRequired)
        {
            if (generatedProperties.TryGetValue(name, out var generatedSchema) && validatorProperties.TryGetValue(name, out var validatorSchema)
                && NeverValid(root, generatedSchema, validatorSchema, depth + 1))
            {
                return true;
            }

            if (validator.TryGetProperty("additionalProperties", out var closed) && closed.ValueKind == JsonValueKind.False && !validatorProperties.ContainsKey(name))
            {
                return true;
            }
        }

        return false;
    }

    private static bool RangesDisjoint(JsonElement a, JsonElement b)
    {
        var (aLow, aHigh) = Range(a);
        var (bLow, bHigh) = Range(b);
        return Below(aHigh, bLow) || Below(bHigh, aLow);

        static bool Below((ExactDecimal Value, bool Exclusive)? high, (ExactDecimal Value, bool Exclusive)? low) =>
            high is { } h && low is { } l && (h.Value < l.Value || (h.Value.CompareTo(l.Value) == 0 && (h.Exclusive || l.Exclusive)));
    }

    private static ((ExactDecimal, bool)? Low, (ExactDecimal, bool)? High) Range(JsonElement schema)
    {
        (ExactDecimal, bool)? low = null;
        (ExactDecimal, bool)? high = null;
        if (Number(schema, "minimum") is { } minimum)
        {
            low = (minimum, schema.TryGetProperty("exclusiveMinimum", out var e) && e.ValueKind == JsonValueKind.True);
        }

        if (Number(schema, "exclusiveMinimum") is { } exclusiveMinimum && (low is null || exclusiveMinimum >= low.Value.Item1))
        {
            low = (exclusiveMinimum, true);
        }

        if (Number(schema, "maximum") is { } maximum)
        {
            high = (maximum, schema.TryGetProperty("exclusiveMaximum", out var e) && e.ValueKind == JsonValueKind.True);
        }

        if (Number(schema, "exclusiveMaximum") is { } exclusiveMaximum && (high is null || exclusiveMaximum <= high.Value.Item1))
        {
            high = (exclusiveMaximum, true);
        }

        return (low, high);
    }

    private static ExactDecimal? Number(JsonElement schema, string keyword) =>
        schema.TryGetProperty(keyword, out var value) && value.ValueKind == JsonValueKind.Number && ExactDecimal.TryParse(value.GetRawText(), out var number)
            ? number
            : null;

    private static HashSet<string> GeneratedKinds(JsonElement root, JsonElement schema, int depth)
    {
        schema = Resolve(root, schema);
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return schema.ValueKind == JsonValueKind.False ? [] : [.. AllKinds];
        }

        if (Branches(schema) is { } branches)
        {
            var union = depth > MaxDepth ? [.. AllKinds] : branches.SelectMany(b => GeneratedKinds(root, b, depth + 1)).ToHashSet(StringComparer.Ordinal);
            if (Nullable(schema))
            {
                union.Add("null");
            }

            return union;
        }

        if (Values(schema) is { } values)
        {
            return values.Select(JsonText.TypeOf).ToHashSet(StringComparer.Ordinal);
        }

        return DeclaredKinds(schema, inferFromKeywords: true);
    }

    private static HashSet<string> ValidatorKinds(JsonElement root, JsonElement schema, int depth)
    {
        schema = Resolve(root, schema);
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return schema.ValueKind == JsonValueKind.False ? [] : [.. AllKinds];
        }

        if (Branches(schema) is { } branches)
        {
            var union = depth > MaxDepth ? [.. AllKinds] : branches.SelectMany(b => ValidatorKinds(root, b, depth + 1)).ToHashSet(StringComparer.Ordinal);
            if (Nullable(schema))
            {
                union.Add("null");
            }

            return union;
        }

        if (Values(schema) is { } values)
        {
            return values.Select(JsonText.TypeOf).ToHashSet(StringComparer.Ordinal);
        }

        return DeclaredKinds(schema, inferFromKeywords: false);
    }

    private static HashSet<string> DeclaredKinds(JsonElement schema, bool inferFromKeywords)
    {
        var kinds = new HashSet<string>(StringComparer.Ordinal);
        if (schema.TryGetProperty("type", out var type))
        {
            foreach (var name in type.ValueKind == JsonValueKind.Array ? type.EnumerateArray() : (IEnumerable<JsonElement>)[type])
            {
                if (name.ValueKind == JsonValueKind.String)
                {
                    string text = name.GetString()!;
                    kinds.Add(text);
                    if (text == "number")
                    {
                        kinds.Add("integer");
                    }
                }
            }
        }
        else if (!inferFromKeywords)
        {
            return [.. AllKinds];
        }
        else
        {
            // What the converter generates for an untyped schema.
            if (schema.TryGetProperty("properties", out _) || schema.TryGetProperty("required", out _) || schema.TryGetProperty("additionalProperties", out _))
            {
                kinds.Add("object");
            }

            if (schema.TryGetProperty("items", out _) || schema.TryGetProperty("minItems", out _) || schema.TryGetProperty("maxItems", out _))
            {
                kinds.Add("array");
            }

            if (schema.TryGetProperty("minLength", out _) || schema.TryGetProperty("maxLength", out _) || schema.TryGetProperty("format", out _))
            {
                kinds.Add("string");
            }

            if (schema.TryGetProperty("minimum", out _) || schema.TryGetProperty("maximum", out _) || schema.TryGetProperty("exclusiveMinimum", out _) || schema.TryGetProperty("exclusiveMaximum", out _))
            {
                kinds.Add("number");
                kinds.Add("integer");
            }

            if (kinds.Count == 0)
            {
                return [.. AllKinds];
            }
        }

        if (Nullable(schema))
        {
            kinds.Add("null");
        }

        return kinds;
    }

    private static List<JsonElement>? Values(JsonElement schema)
    {
        if (schema.TryGetProperty("const", out var constant))
        {
            return [constant];
        }

        return schema.TryGetProperty("enum", out var values) && values.ValueKind == JsonValueKind.Array ? [.. values.EnumerateArray()] : null;
    }

    private static List<JsonElement>? Branches(JsonElement schema)
    {
        foreach (string keyword in new[] { "anyOf", "oneOf" })
        {
            if (schema.TryGetProperty(keyword, out var branches) && branches.ValueKind == JsonValueKind.Array)
            {
                return [.. branches.EnumerateArray()];
            }
        }

        return null;
    }

    private static Dictionary<string, JsonElement> Properties(JsonElement schema) =>
        schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
            ? properties.EnumerateObject().GroupBy(p => p.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal)
            : new Dictionary<string, JsonElement>(StringComparer.Ordinal);

    private static HashSet<string> Required(JsonElement schema) =>
        schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array
            ? required.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);

    private static bool Nullable(JsonElement schema) => schema.TryGetProperty("nullable", out var nullable) && nullable.ValueKind == JsonValueKind.True;

    // Follows $ref and single-schema allOf (the forms the converter accepts).
    private static JsonElement Resolve(JsonElement root, JsonElement schema)
    {
        for (int i = 0; i < MaxDepth && schema.ValueKind == JsonValueKind.Object; i++)
        {
            if (schema.TryGetProperty("$ref", out var reference) && reference.ValueKind == JsonValueKind.String)
            {
                schema = JsonSchemaConverter.Resolve(root, reference.GetString()!, "#");
            }
            else if (schema.TryGetProperty("allOf", out var allOf) && allOf.ValueKind == JsonValueKind.Array && allOf.GetArrayLength() == 1)
            {
                schema = allOf[0];
            }
            else
            {
                break;
            }
        }

        return schema;
    }
}
