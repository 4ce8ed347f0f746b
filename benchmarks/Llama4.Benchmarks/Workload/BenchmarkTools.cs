using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Llama4.Core;
using Microsoft.Extensions.AI;

namespace Llama4.Benchmarks.Workload;

/// <summary>
/// Three tools as an application declares them: .NET methods turned into <see cref="AIFunction"/>s by
/// <see cref="AIFunctionFactory.Create(Delegate, string?, string?, System.Text.Json.JsonSerializerOptions?)"/>, with
/// DataAnnotations bounds that become <c>maxLength</c>, <c>minimum</c>/<c>maximum</c>, <c>maxItems</c> and
/// <c>format</c> in their schemas. They are never invoked: the benchmarks only generate calls to them.
/// </summary>
internal static class BenchmarkTools
{
    public enum TicketPriority
    {
        Low,
        Normal,
        High,
        Urgent,
    }

    public enum OrderStatus
    {
        Open,
        Shipped,
        Delivered,
        Cancelled,
    }

    public enum TemperatureUnit
    {
        Celsius,
        Fahrenheit,
    }

    /// <summary>Gets the tools, in the order the prompt lists them.</summary>
    public static IReadOnlyList<AIFunction> All { get; } =
    [
        AIFunctionFactory.Create(CreateTicket, "create_ticket"),
        AIFunctionFactory.Create(SearchOrders, "search_orders"),
        AIFunctionFactory.Create(GetWeather, "get_weather"),
    ];

    /// <summary>The tools as the engine sees them: what Llama4ChatClient builds from ChatOptions.Tools with default client options.</summary>
    public static Llama4ToolOptions ToLlama4(Llama4ToolMode mode) =>
        new([.. All.Select(f => new Llama4ToolDefinition(f.Name, string.IsNullOrEmpty(f.Description) ? null : f.Description, f.JsonSchema))])
        {
            Mode = mode,
        };

    [Description("Opens a support ticket and returns its id.")]
    private static string CreateTicket(
        [Description("One-line summary of the problem.")][StringLength(40, MinimumLength = 1)] string title,
        TicketPriority priority,
        [Description("Estimated effort in hours.")][Range(1, 40)] int estimateHours,
        [Description("Labels to file the ticket under.")][Length(0, 3)] string[] labels) =>
        throw new NotSupportedException("Benchmark tools are never invoked.");

    [Description("Finds a customer's orders.")]
    private static string SearchOrders(
        [Description("The customer's e-mail address.")][EmailAddress] string customerEmail,
        OrderStatus status,
        [Description("Most orders to return.")][Range(1, 50)] int limit) =>
        throw new NotSupportedException("Benchmark tools are never invoked.");

    [Description("Returns the current weather in a city.")]
    private static string GetWeather(
        [Description("City name.")][StringLength(32, MinimumLength = 1)] string city,
        TemperatureUnit unit) =>
        throw new NotSupportedException("Benchmark tools are never invoked.");
}
