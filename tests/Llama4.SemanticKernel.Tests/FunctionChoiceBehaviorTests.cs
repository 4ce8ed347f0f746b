using System.ComponentModel;
using Llama4.Core;
using Llama4.Testing;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using SKFunctionCallContent = Microsoft.SemanticKernel.FunctionCallContent;
using SKFunctionResultContent = Microsoft.SemanticKernel.FunctionResultContent;

namespace Llama4.SemanticKernel.Tests;

/// <summary>
/// Semantic Kernel's <see cref="FunctionChoiceBehavior"/> over the Llama 4 chat client, end to end on the random-weight
/// tiny model: SK turns the behaviour into <see cref="ChatOptions.Tools"/> and <see cref="ChatOptions.ToolMode"/>, and
/// SK's <c>UseKernelFunctionInvocation()</c> in the client pipeline invokes kernel plugin functions (with filters).
/// </summary>
public sealed class FunctionChoiceBehaviorTests(FunctionChoiceBehaviorTests.KernelFixture fixture) : IClassFixture<FunctionChoiceBehaviorTests.KernelFixture>
{
    private const string PluginName = "alarms";
    private const string ToolName = PluginName + "_" + nameof(AlarmPlugin.SetAlarm);

    [Fact]
    public async Task GetChatMessageContentAsync_FunctionChoiceRequired_InvokesPluginFunctionAndRecordsHistory()
    {
        var (kernel, plugin) = CreateKernel();
        var service = kernel.GetRequiredService<IChatClient>().AsChatCompletionService(kernel.Services);
        var history = new ChatHistory();
        history.AddUserMessage("Wake me up at seven.");

        var message = await service.GetChatMessageContentAsync(history, Settings(FunctionChoiceBehavior.Required(autoInvoke: true), seed: 1), kernel, TestContext.Current.CancellationToken);

        Assert.True(plugin.Invocations >= 1);
        Assert.Equal(AuthorRole.Assistant, message.Role);
        var call = Assert.Single(history.SelectMany(m => m.Items).OfType<SKFunctionCallContent>());
        // The tool name SK offered (plugin_function); SK's IChatClient adapter leaves it whole in FunctionName.
        Assert.Equal(ToolName, call.PluginName is null ? call.FunctionName : $"{call.PluginName}_{call.FunctionName}");
        var result = Assert.Single(history.SelectMany(m => m.Items).OfType<SKFunctionResultContent>());
        Assert.Equal(call.Id, result.CallId);
        Assert.StartsWith("Alarm set for ", result.Result?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStreamingChatMessageContentsAsync_FunctionChoiceRequired_InvokesPluginFunction()
    {
        var (kernel, plugin) = CreateKernel();
        var service = kernel.GetRequiredService<IChatClient>().AsChatCompletionService(kernel.Services);
        var history = new ChatHistory();
        history.AddUserMessage("Wake me up at seven.");

        var chunks = await service.GetStreamingChatMessageContentsAsync(history, Settings(FunctionChoiceBehavior.Required(autoInvoke: true), seed: 2), kernel, TestContext.Current.CancellationToken)
            .ToListAsync(TestContext.Current.CancellationToken);

        Assert.NotEmpty(chunks);
        Assert.True(plugin.Invocations >= 1);
        Assert.Contains(history, m => m.Role == AuthorRole.Tool && m.Items.OfType<SKFunctionResultContent>().Any());
    }

    [Fact]
    public async Task InvokePromptAsync_FunctionChoiceRequired_InvokesPluginFunction()
    {
        var (kernel, plugin) = CreateKernel();

        var result = await kernel.InvokePromptAsync(
            "Wake me up at {{$time}}.",
            new KernelArguments(Settings(FunctionChoiceBehavior.Required(autoInvoke: true), seed: 3)) { ["time"] = "seven" },
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(plugin.Invocations >= 1);
        Assert.NotNull(result.GetValue<string>());
    }

    [Fact]
    public async Task GetChatMessageContentAsync_FunctionChoiceNone_OffersNoToolsAndInvokesNothing()
    {
        var (kernel, plugin) = CreateKernel();
        var service = kernel.GetRequiredService<IChatClient>().AsChatCompletionService(kernel.Services);
        var sent = fixture.Record();

        for (var seed = 1; seed <= 3; seed++)
        {
            var history = new ChatHistory();
            history.AddUserMessage("Wake me up at seven.");

            var message = await service.GetChatMessageContentAsync(history, Settings(FunctionChoiceBehavior.None(), seed), kernel, TestContext.Current.CancellationToken);

            Assert.Equal(AuthorRole.Assistant, message.Role);
            Assert.Empty(message.Items.OfType<SKFunctionCallContent>());
            Assert.Single(history);
        }

        Assert.Equal(0, plugin.Invocations);
        Assert.All(sent, o => Assert.IsType<NoneChatToolMode>(o?.ToolMode));
        Assert.Equal(3, sent.Count);
    }

    [Fact]
    public async Task GetChatMessageContentAsync_FunctionChoiceAuto_CompletesAndInvokesOnlyWhatTheModelCalls()
    {
        var (kernel, plugin) = CreateKernel();
        var service = kernel.GetRequiredService<IChatClient>().AsChatCompletionService(kernel.Services);
        var results = 0;

        for (var seed = 1; seed <= 3; seed++)
        {
            var history = new ChatHistory();
            history.AddUserMessage("Wake me up at seven.");

            var message = await service.GetChatMessageContentAsync(history, Settings(FunctionChoiceBehavior.Auto(), seed), kernel, TestContext.Current.CancellationToken);

            Assert.Equal(AuthorRole.Assistant, message.Role);
            results += history.SelectMany(m => m.Items).OfType<SKFunctionResultContent>().Count();
        }

        Assert.Equal(results, plugin.Invocations);
    }

    [Fact]
    public async Task UseKernelFunctionInvocation_RequiredCall_RunsAutoFunctionInvocationFilter()
    {
        var (kernel, plugin) = CreateKernel();
        var filter = new RecordingFilter();
        kernel.AutoFunctionInvocationFilters.Add(filter);
        var service = kernel.GetRequiredService<IChatClient>().AsChatCompletionService(kernel.Services);
        var history = new ChatHistory();
        history.AddUserMessage("Wake me up at seven.");

        await service.GetChatMessageContentAsync(history, Settings(FunctionChoiceBehavior.Required(autoInvoke: true), seed: 4), kernel, TestContext.Current.CancellationToken);

        Assert.Equal(plugin.Invocations, filter.Functions.Count);
        Assert.All(filter.Functions, f => Assert.Equal($"{PluginName}.{nameof(AlarmPlugin.SetAlarm)}", f));
        Assert.NotEmpty(filter.Functions);
    }

    private (Kernel Kernel, AlarmPlugin Plugin) CreateKernel()
    {
        // Clones share the fixture's services (one engine) but have their own plugins and filters.
        var kernel = fixture.Kernel.Clone();
        var plugin = new AlarmPlugin();
        kernel.Plugins.AddFromObject(plugin, PluginName);
        return (kernel, plugin);
    }

    private static PromptExecutionSettings Settings(FunctionChoiceBehavior behavior, int seed) => new()
    {
        FunctionChoiceBehavior = behavior,
        ExtensionData = new Dictionary<string, object> { ["max_tokens"] = 120, ["seed"] = seed },
    };

    /// <summary>One kernel (one engine) for the class; AddLlama4ChatClient puts SK's kernel function invocation around the client.</summary>
    public sealed class KernelFixture : IAsyncDisposable
    {
        private readonly AsyncLocal<List<ChatOptions?>?> _recorder = new();

        public KernelFixture()
        {
            Kernel = Kernel.CreateBuilder()
                .AddLlama4ChatClient(
                    options =>
                    {
                        options.ModelPath = TinyModelFiles.Default;
                        options.ContextSize = 8192;
                        options.MaxParallelSequences = 2;
                        options.Backend = Llama4Backend.Cpu;
                    },
                    configureClient: b => b
                        .Use(
                            (messages, options, next, cancellationToken) =>
                            {
                                _recorder.Value?.Add(options);
                                return next(messages, options, cancellationToken);
                            }))
                .Build();
        }

        public Kernel Kernel { get; }

        /// <summary>Records the options of every request that reaches the Llama 4 client from the calling test.</summary>
        /// <returns>The list the options are added to.</returns>
        public List<ChatOptions?> Record() => _recorder.Value = [];

        public async ValueTask DisposeAsync()
        {
            if (Kernel.Services is IAsyncDisposable services)
            {
                await services.DisposeAsync();
            }
        }
    }


    public sealed class AlarmPlugin
    {
        private int _invocations;

        public int Invocations => Volatile.Read(ref _invocations);

        [KernelFunction, Description("Sets an alarm.")]
        public string SetAlarm([Description("Hour, 0-23")] int hour, [Description("Minute, 0-59")] int minute)
        {
            Interlocked.Increment(ref _invocations);
            return FormattableString.Invariant($"Alarm set for {hour:00}:{minute:00}.");
        }
    }

    private sealed class RecordingFilter : IAutoFunctionInvocationFilter
    {
        public List<string> Functions { get; } = [];

        public async Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next)
        {
            Functions.Add($"{context.Function.PluginName}.{context.Function.Name}");
            await next(context);
        }
    }
}
