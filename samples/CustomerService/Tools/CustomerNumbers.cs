namespace CustomerService.Tools;

/// <summary>The shop's customer numbers run from 1 to 99999.</summary>
internal static class CustomerNumbers
{
    public const int Minimum = 1;
    public const int Maximum = 99_999;
}
