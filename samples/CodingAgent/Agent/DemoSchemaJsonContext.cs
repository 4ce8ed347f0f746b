using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace CodingAgent.Agent;

/// <summary>Source-generated serialization of the tightened demo schemas.</summary>
[JsonSerializable(typeof(JsonObject))]
internal sealed partial class DemoSchemaJsonContext : JsonSerializerContext;
