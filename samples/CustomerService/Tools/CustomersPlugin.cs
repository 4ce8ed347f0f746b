using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;
using CustomerService.Data;
using Microsoft.SemanticKernel;

namespace CustomerService.Tools;

/// <summary>Semantic Kernel plugin "customers": read-only look-ups of customers and their orders.</summary>
internal sealed class CustomersPlugin(SupportDatabase database)
{
    public const string PluginName = "customers";

    [KernelFunction("get_customer")]
    [Description("Looks up a customer by customer number and lists their orders.")]
    public string GetCustomer([Description("The customer number, for example 1."), Range(CustomerNumbers.Minimum, CustomerNumbers.Maximum)] int customerNumber)
    {
        ToolArguments.RequireRange(customerNumber, CustomerNumbers.Minimum, CustomerNumbers.Maximum, nameof(customerNumber), "the customer number printed on the customer's account page (for example 1)");
        var customer = database.FindCustomer(customerNumber);
        if (customer is null)
        {
            return FormattableString.Invariant($"There is no customer number {customerNumber}. Ask the customer to check the number.");
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Customer {customer.Id}: {customer.Name}, {customer.Tier} tier, customer since {customer.Since:yyyy-MM-dd}.");
        foreach (var order in database.GetOrders(customer.Id))
        {
            text.Append(CultureInfo.InvariantCulture, $" Order {order.Number}: {order.Item}, {Money.Format(order.TotalCents)}, {order.Status}, placed {order.Placed:yyyy-MM-dd}.");
        }

        return text.ToString();
    }

    [KernelFunction("get_order_status")]
    [Description("Gets the status of one order by its order number.")]
    public string GetOrderStatus([Description("The order number, for example 1001."), Range(OrderNumbers.Minimum, OrderNumbers.Maximum)] int orderNumber)
    {
        ToolArguments.RequireRange(orderNumber, OrderNumbers.Minimum, OrderNumbers.Maximum, nameof(orderNumber), "the order number from the confirmation e-mail (for example 1001)");
        var order = database.FindOrder(orderNumber);
        return order is null
            ? FormattableString.Invariant($"There is no order number {orderNumber}. Ask the customer to check the number.")
            : FormattableString.Invariant($"Order {order.Number} ({order.Item}, {Money.Format(order.TotalCents)}) is {order.Status}; placed {order.Placed:yyyy-MM-dd}.");
    }
}
