namespace CustomerService.Tools;

/// <summary>
/// Why a customer asks for a refund. Strings rather than an enum: Semantic Kernel 1.82 cannot bind an enum parameter
/// from the JSON arguments of an <c>AIFunction</c> call ("Object of type 'System.Text.Json.JsonElement' cannot be
/// converted to type ..."), so the values travel as text and <c>[AllowedValues]</c> puts them in the schema.
/// </summary>
internal static class RefundReasons
{
    public const string Damaged = "damaged";
    public const string NotAsDescribed = "not_as_described";
    public const string NeverArrived = "never_arrived";
    public const string ChangedMind = "changed_mind";

    public static readonly IReadOnlyList<string> All = [Damaged, NotAsDescribed, NeverArrived, ChangedMind];
}
