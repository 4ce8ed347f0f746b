using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;
using CustomerService.Data;
using Microsoft.SemanticKernel;

namespace CustomerService.Tools;

/// <summary>Semantic Kernel plugin "support": the FAQ knowledge base, tickets and escalation to a human.</summary>
internal sealed class SupportPlugin(SupportDatabase database, FaqKnowledgeBase knowledgeBase)
{
    public const string PluginName = "support";

    public const int MaxTextLength = 200;

    [KernelFunction("search_faq")]
    [Description("Searches the shop's FAQ for the answers closest to a question.")]
    public async Task<string> SearchFaqAsync(
        [Description("The customer's question."), StringLength(MaxTextLength, MinimumLength = 1)] string question,
        CancellationToken cancellationToken)
    {
        ToolArguments.RequireText(question, MaxTextLength, nameof(question));
        var hits = await knowledgeBase.SearchAsync(question, 2, cancellationToken).ConfigureAwait(false);
        var text = new StringBuilder();
        foreach (var hit in hits)
        {
            text.Append(CultureInfo.InvariantCulture, $"[{hit.Score:F2}] Q: {hit.Entry.Question} A: {hit.Entry.Answer}\n");
        }

        return text.ToString().TrimEnd();
    }

    [KernelFunction("open_ticket")]
    [Description("Opens a support ticket for a problem the assistant cannot solve right now.")]
    public string OpenTicket(
        [Description("The customer number, for example 1."), Range(CustomerNumbers.Minimum, CustomerNumbers.Maximum)] int customerNumber,
        [Description("A one-line summary of the problem."), StringLength(MaxTextLength, MinimumLength = 1)] string subject)
    {
        ToolArguments.RequireRange(customerNumber, CustomerNumbers.Minimum, CustomerNumbers.Maximum, nameof(customerNumber), "the customer number printed on the customer's account page (for example 1)");
        ToolArguments.RequireText(subject, MaxTextLength, nameof(subject));
        if (database.FindCustomer(customerNumber) is null)
        {
            return FormattableString.Invariant($"There is no customer number {customerNumber}; no ticket was opened. Ask the customer to check the number.");
        }

        var id = database.InsertTicket(customerNumber, subject, escalated: false);
        return FormattableString.Invariant($"Ticket {id} opened for customer {customerNumber}.");
    }

    [KernelFunction("escalate_to_human")]
    [Description("Hands the conversation to a human agent, for example when the customer asks for one.")]
    public string EscalateToHuman(
        [Description("Why a human is needed."), StringLength(MaxTextLength, MinimumLength = 1)] string reason)
    {
        ToolArguments.RequireText(reason, MaxTextLength, nameof(reason));
        var id = database.InsertTicket(customerId: null, reason, escalated: true);
        return FormattableString.Invariant($"Escalated as ticket {id}; a human agent will reply within one business day.");
    }
}
