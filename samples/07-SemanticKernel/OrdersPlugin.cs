using System.ComponentModel;
using System.Globalization;
using Microsoft.SemanticKernel;
using Spectre.Console;

/// <summary>A Semantic Kernel plugin: its [KernelFunction] methods become tools the model can call.</summary>
internal sealed class OrdersPlugin
{
    /// <summary>Gets how many times the model's calls ran this plugin.</summary>
    public int Invocations { get; private set; }

    [KernelFunction("get_order_status")]
    [Description("Gets the delivery status of an order.")]
    public string GetOrderStatus([Description("The order number")] int orderNumber)
    {
        Invocations++;
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[green]  kernel function orders.get_order_status({orderNumber}) runs[/]");
        return string.Create(CultureInfo.InvariantCulture, $"Order {orderNumber} left the warehouse yesterday; expected delivery on Friday.");
    }
}
