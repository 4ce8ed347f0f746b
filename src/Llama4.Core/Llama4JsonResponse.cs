using System.Text.Json;

namespace Llama4.Core;

/// <summary>Asks for a reply that is JSON, optionally valid against a schema; generation is grammar-constrained to it.</summary>
/// <param name="Schema">The JSON Schema the reply must satisfy, or <see langword="null"/> for any JSON value.</param>
public sealed record Llama4JsonResponse(JsonElement? Schema);
