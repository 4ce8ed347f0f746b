/// <summary>The categories a ticket can have.</summary>
internal enum TicketCategory
{
    Delivery,
    Refund,
    Product,
    Account,
    Other,
}
