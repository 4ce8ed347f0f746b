using System.Text.Json;

namespace Llama4.Benchmarks.Workload;

/// <summary>
/// A 50-property JSON Schema of the size a real extraction or form-filling task sends: strings with length bounds and
/// formats, bounded integers and numbers, booleans, enums, nullable and optional members, objects nested two levels
/// deep, arrays of strings, numbers, enums and objects with item bounds, and one anyOf.
/// </summary>
internal static class ConverterSchema
{
    public const int TopLevelProperties = 50;

    public const string Json = """
        {
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "id": { "type": "string", "format": "uuid" },
            "name": { "type": "string", "minLength": 1, "maxLength": 64 },
            "displayName": { "type": "string", "maxLength": 80 },
            "description": { "type": "string", "maxLength": 400 },
            "email": { "type": "string", "format": "email" },
            "phone": { "type": "string", "minLength": 7, "maxLength": 20 },
            "website": { "type": "string", "maxLength": 120 },
            "createdAt": { "type": "string", "format": "date-time" },
            "birthDate": { "type": "string", "format": "date" },
            "openingTime": { "type": "string", "format": "time" },
            "countryCode": { "type": "string", "minLength": 2, "maxLength": 2 },
            "postalCode": { "type": "string", "maxLength": 10 },
            "notes": { "type": ["string", "null"], "maxLength": 200 },
            "nickname": { "type": ["string", "null"], "maxLength": 32 },
            "age": { "type": "integer", "minimum": 0, "maximum": 130 },
            "quantity": { "type": "integer", "minimum": 1, "maximum": 1000 },
            "rank": { "type": "integer", "minimum": 1, "maximum": 100 },
            "retries": { "type": "integer", "minimum": 0, "maximum": 10 },
            "year": { "type": "integer", "minimum": 1900, "maximum": 2100 },
            "loyaltyPoints": { "type": "integer", "minimum": 0, "maximum": 1000000 },
            "floor": { "type": "integer", "minimum": -5, "maximum": 200 },
            "priorityLevel": { "type": "integer", "minimum": 1, "maximum": 5 },
            "price": { "type": "number", "minimum": 0, "maximum": 100000 },
            "discount": { "type": "number", "minimum": 0, "maximum": 1 },
            "latitude": { "type": "number", "minimum": -90, "maximum": 90 },
            "longitude": { "type": "number", "minimum": -180, "maximum": 180 },
            "rating": { "type": "number", "minimum": 0, "exclusiveMaximum": 5 },
            "active": { "type": "boolean" },
            "verified": { "type": "boolean" },
            "newsletter": { "type": "boolean" },
            "gift": { "type": "boolean" },
            "archived": { "type": "boolean" },
            "status": { "type": "string", "enum": ["draft", "pending", "active", "suspended", "closed"] },
            "tier": { "type": "string", "enum": ["bronze", "silver", "gold", "platinum"] },
            "currency": { "type": "string", "enum": ["EUR", "USD", "GBP", "JPY", "CHF"] },
            "channel": { "type": "string", "enum": ["web", "mobile", "store", "phone"] },
            "language": { "type": "string", "enum": ["en", "fr", "de", "es", "it", "nl", "pt"] },
            "sizeCode": { "enum": ["XS", "S", "M", "L", "XL", 0] },
            "address": {
              "type": "object",
              "properties": {
                "street": { "type": "string", "maxLength": 80 },
                "city": { "type": "string", "minLength": 1, "maxLength": 40 },
                "postalCode": { "type": "string", "maxLength": 10 },
                "country": { "type": "string", "enum": ["FR", "DE", "ES", "IT", "NL", "US", "GB"] }
              },
              "required": ["street", "city", "country"]
            },
            "contact": {
              "type": "object",
              "properties": {
                "name": { "type": "string", "maxLength": 60 },
                "email": { "type": "string", "format": "email" },
                "phone": { "type": "string", "maxLength": 20 }
              },
              "required": ["name", "email"]
            },
            "dimensions": {
              "type": "object",
              "properties": {
                "width": { "type": "number", "minimum": 0, "maximum": 1000 },
                "height": { "type": "number", "minimum": 0, "maximum": 1000 },
                "depth": { "type": "number", "minimum": 0, "maximum": 1000 },
                "unit": { "type": "string", "enum": ["cm", "in"] }
              },
              "required": ["width", "height", "depth", "unit"]
            },
            "shipping": {
              "type": "object",
              "properties": {
                "method": { "type": "string", "enum": ["standard", "express", "pickup"] },
                "cost": { "type": "number", "minimum": 0, "maximum": 1000 },
                "insured": { "type": "boolean" },
                "eta": {
                  "type": "object",
                  "properties": {
                    "days": { "type": "integer", "minimum": 1, "maximum": 60 },
                    "window": { "type": "string", "enum": ["morning", "afternoon", "evening"] }
                  },
                  "required": ["days"]
                }
              },
              "required": ["method", "cost", "eta"]
            },
            "preferences": {
              "type": "object",
              "properties": {
                "theme": { "type": "string", "enum": ["light", "dark", "system"] },
                "notifications": { "type": "boolean" },
                "pageSize": { "type": "integer", "minimum": 10, "maximum": 100 }
              }
            },
            "tags": { "type": "array", "items": { "type": "string", "maxLength": 24 }, "maxItems": 8 },
            "scores": { "type": "array", "items": { "type": "integer", "minimum": 0, "maximum": 100 }, "maxItems": 10 },
            "lineItems": {
              "type": "array",
              "minItems": 1,
              "maxItems": 5,
              "items": {
                "type": "object",
                "properties": {
                  "sku": { "type": "string", "minLength": 4, "maxLength": 16 },
                  "qty": { "type": "integer", "minimum": 1, "maximum": 99 },
                  "unitPrice": { "type": "number", "minimum": 0, "maximum": 10000 }
                },
                "required": ["sku", "qty", "unitPrice"]
              }
            },
            "aliases": { "type": "array", "items": { "type": "string", "maxLength": 32 }, "maxItems": 4, "uniqueItems": false },
            "weekdays": { "type": "array", "items": { "type": "string", "enum": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] }, "maxItems": 7 },
            "history": {
              "type": "array",
              "maxItems": 6,
              "items": {
                "type": "object",
                "properties": {
                  "at": { "type": "string", "format": "date-time" },
                  "event": { "type": "string", "enum": ["created", "updated", "shipped", "closed"] },
                  "note": { "type": ["string", "null"], "maxLength": 80 }
                },
                "required": ["at", "event"]
              }
            },
            "reference": { "anyOf": [{ "type": "string", "maxLength": 20 }, { "type": "integer", "minimum": 0, "maximum": 999999 }] }
          },
          "required": [
            "id", "name", "displayName", "email", "phone", "createdAt", "countryCode", "age", "quantity", "rank", "year",
            "priorityLevel", "price", "discount", "active", "verified", "status", "tier", "currency", "channel", "language",
            "address", "contact", "dimensions", "shipping", "tags", "lineItems", "reference"
          ]
        }
        """;

    public static JsonElement Create()
    {
        using var document = JsonDocument.Parse(Json);
        var schema = document.RootElement.Clone();
        var count = schema.GetProperty("properties").EnumerateObject().Count();
        return count == TopLevelProperties
            ? schema
            : throw new InvalidOperationException($"The converter schema has {count} top-level properties, not {TopLevelProperties}.");
    }
}
