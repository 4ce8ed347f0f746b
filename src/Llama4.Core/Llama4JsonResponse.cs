using System.Text.Json;

namespace Llama4.Core;

/// <summary>
/// Asks for a reply that is JSON: valid against a schema, or without one a JSON object (as OpenAI's JSON mode asks;
/// never a bare string, number, boolean, null or array). Generation is grammar-constrained to it.
/// </summary>
/// <param name="Schema">The JSON Schema the reply must satisfy, or <see langword="null"/> for any JSON object.</param>
public sealed record Llama4JsonResponse(JsonElement? Schema);
