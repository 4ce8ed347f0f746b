using System.Reflection;
using CustomerService.Data;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace CustomerService.Tools;

/// <summary>The agent's tools: the three Semantic Kernel plugins, handed to the agent as <see cref="AIFunction"/>s.</summary>
internal static class SupportTools
{
    /// <summary>Creates a kernel holding the plugins (function names become plugin-qualified: <c>customers_get_customer</c>).</summary>
    public static Kernel CreateKernel(SupportDatabase database, FaqKnowledgeBase knowledgeBase)
    {
        var kernel = new Kernel();
        kernel.Plugins.AddFromObject(new CustomersPlugin(database), CustomersPlugin.PluginName);
        kernel.Plugins.AddFromObject(new RefundsPlugin(database), RefundsPlugin.PluginName);
        kernel.Plugins.AddFromObject(new SupportPlugin(database, knowledgeBase), SupportPlugin.PluginName);
        return kernel;
    }

    /// <summary>
    /// The kernel's functions as <see cref="AIFunction"/>s with the data annotations in their schemas; the refund tool
    /// wrapped in <see cref="ApprovalRequiredAIFunction"/>, so it runs only after a human approved the call.
    /// </summary>
    public static IReadOnlyList<AIFunction> CreateAIFunctions(Kernel kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        List<AIFunction> tools = [];
        foreach (var plugin in kernel.Plugins)
        {
            var type = PluginType(plugin.Name);
            foreach (var function in plugin.AsAIFunctions(kernel))
            {
                // Semantic Kernel names the AIFunction "{plugin}_{function}".
                var kernelFunction = plugin.SingleOrDefault(f => function.Name == $"{plugin.Name}_{f.Name}")
                    ?? throw new InvalidOperationException($"The tool '{function.Name}' matches no function of the plugin '{plugin.Name}'.");
                AIFunction tool = new AnnotatedSchemaFunction(function, FindMethod(type, kernelFunction.Name));
                tools.Add(plugin.Name == RefundsPlugin.PluginName ? new ApprovalRequiredAIFunction(tool) : tool);
            }
        }

        return tools;
    }

    private static Type PluginType(string pluginName) => pluginName switch
    {
        CustomersPlugin.PluginName => typeof(CustomersPlugin),
        RefundsPlugin.PluginName => typeof(RefundsPlugin),
        SupportPlugin.PluginName => typeof(SupportPlugin),
        _ => throw new ArgumentException($"The plugin '{pluginName}' is not one of the sample's plugins.", nameof(pluginName)),
    };

    private static MethodInfo FindMethod(Type type, string functionName) =>
        type.GetMethods().SingleOrDefault(m => m.GetCustomAttribute<KernelFunctionAttribute>()?.Name == functionName)
        ?? throw new InvalidOperationException($"{type.Name} has no method marked [KernelFunction(\"{functionName}\")].");
}
