using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace CodingAgent.Agent;

/// <summary>
/// Tightens a tool's JSON schema for the random-weight demo model, whose grammar-constrained calls otherwise fill every
/// string to its end: <c>path</c> parameters become an <c>enum</c> of the workspace's entries (files for tools that
/// read or write a file, directories for the others) and other strings get a <c>maxLength</c>. The library constrains a
/// required call to the schema it is given, so the demo's calls name real files. Only used with the demo model; with
/// <c>--model</c> the tools keep their plain schemas.
/// </summary>
internal sealed class DemoArgumentSchema : DelegatingAIFunction
{
    /// <summary>The longest free-text argument the demo model may write.</summary>
    public const int MaxDemoStringLength = 120;

    private readonly JsonElement _schema;

    /// <summary>Wraps a function with a tightened schema.</summary>
    /// <param name="inner">The tool.</param>
    /// <param name="pathChoices">The values a <c>path</c> parameter may take (at least one).</param>
    public DemoArgumentSchema(AIFunction inner, IReadOnlyList<string> pathChoices)
        : base(inner)
    {
        ArgumentNullException.ThrowIfNull(pathChoices);
        if (pathChoices.Count == 0)
        {
            throw new ArgumentException("The demo schema needs at least one path to offer; the workspace is empty.", nameof(pathChoices));
        }

        var schema = JsonNode.Parse(inner.JsonSchema.GetRawText())!.AsObject();
        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (name, property) in properties)
            {
                if (property is not JsonObject parameter
                    || parameter["type"] is not JsonValue type
                    || !type.TryGetValue<string>(out var typeName)
                    || typeName != "string"
                    || parameter["enum"] is not null)
                {
                    continue;
                }

                if (name == "path")
                {
                    parameter["enum"] = new JsonArray([.. pathChoices.Select(p => JsonValue.Create(p))]);
                }
                else
                {
                    parameter["maxLength"] = MaxDemoStringLength;
                }
            }
        }

        _schema = JsonSerializer.SerializeToElement(schema, DemoSchemaJsonContext.Default.JsonObject);
    }

    /// <inheritdoc />
    public override JsonElement JsonSchema => _schema;
}
