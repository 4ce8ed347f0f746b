using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace CustomerService.Tools;

/// <summary>
/// A kernel function's <see cref="AIFunction"/> whose JSON schema also carries the parameters' data annotations.
/// Semantic Kernel 1.82 builds a function's schema from the parameter types and descriptions only: <c>[Range]</c>,
/// <c>[StringLength]</c> and <c>[AllowedValues]</c> do not reach it (the tests pin this). This wrapper adds them as
/// <c>minimum</c>/<c>maximum</c>, <c>minLength</c>/<c>maxLength</c> and <c>enum</c>, so the model is told the bounds
/// and Llama 4's constrained tool calls stay inside them. The tools still check every argument themselves.
/// </summary>
internal sealed class AnnotatedSchemaFunction : DelegatingAIFunction
{
    public AnnotatedSchemaFunction(AIFunction innerFunction, MethodInfo method)
        : base(innerFunction)
    {
        ArgumentNullException.ThrowIfNull(method);
        JsonSchema = AddAnnotations(innerFunction.JsonSchema, method);
    }

    public override JsonElement JsonSchema { get; }

    private static JsonElement AddAnnotations(JsonElement schema, MethodInfo method)
    {
        var root = JsonNode.Parse(schema.GetRawText())?.AsObject()
            ?? throw new InvalidOperationException($"The schema of {method.Name} is not a JSON object.");
        if (root["properties"] is not JsonObject properties)
        {
            return schema;
        }

        foreach (var parameter in method.GetParameters())
        {
            if (parameter.Name is not { } name || properties[name] is not JsonObject property)
            {
                continue;
            }

            if (parameter.GetCustomAttribute<RangeAttribute>() is { } range)
            {
                property["minimum"] = Convert.ToInt64(range.Minimum, CultureInfo.InvariantCulture);
                property["maximum"] = Convert.ToInt64(range.Maximum, CultureInfo.InvariantCulture);
            }

            if (parameter.GetCustomAttribute<StringLengthAttribute>() is { } length)
            {
                property["minLength"] = length.MinimumLength;
                property["maxLength"] = length.MaximumLength;
            }

            if (parameter.GetCustomAttribute<AllowedValuesAttribute>() is { } allowed)
            {
                property["enum"] = new JsonArray([.. allowed.Values.Select(v => JsonValue.Create(Convert.ToString(v, CultureInfo.InvariantCulture)))]);
            }
        }

        return JsonSerializer.SerializeToElement(root);
    }
}
