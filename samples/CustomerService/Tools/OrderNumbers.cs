namespace CustomerService.Tools;

/// <summary>The shop's order numbers have four digits.</summary>
internal static class OrderNumbers
{
    public const int Minimum = 1000;
    public const int Maximum = 9999;
}
