namespace Llama4.Hosting.Tests.Hosting;

/// <summary>The hosting tests load engines of their own: they run one at a time, beside the other collections.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HostingTestGroup
{
    public const string Name = "Llama4 hosting";
}
