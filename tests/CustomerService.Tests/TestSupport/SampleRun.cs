using CustomerService.Conversation;
using CustomerService.Data;
using Llama4.Core;
using Microsoft.Extensions.Logging;
using Spectre.Console.Testing;

namespace CustomerService.Tests.TestSupport;

/// <summary>Runs the sample's own entry point in script mode on a shared engine, capturing console and logs.</summary>
public sealed class SampleRun : IDisposable
{
    private readonly RecordingLoggerProvider _logs = new();
    private readonly ILoggerFactory _loggerFactory;

    public SampleRun(string dataDirectory)
    {
        DataDirectory = dataDirectory;
        _loggerFactory = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace));
    }

    public string DataDirectory { get; }

    public TestConsole Console { get; } = new TestConsole().Width(220);

    public IReadOnlyList<string> Logs => _logs.Entries;

    internal SupportDatabase Database => SupportDatabase.Open(DataDirectory);

    internal async Task<CustomerServiceRun> RunScriptAsync(Llama4Engine engine, string script, bool resume = false)
    {
        var arguments = CustomerServiceArguments.Parse(["--data", DataDirectory, "--max-tokens", "24", resume ? "--resume" : "--new"]);
        var input = new ScriptInput(ConversationScript.Parse(script.Split('\n')), Console);
        return await CustomerServiceApp.RunWithEngineAsync(engine, arguments, input, Console, _loggerFactory, TestContext.Current.CancellationToken);
    }

    public void Dispose()
    {
        _loggerFactory.Dispose();
        Console.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open in the OS cache; the temp folder is cleaned by the OS.
        }
    }

    public static SampleRun InTemporaryFolder() =>
        new(Path.Combine(Path.GetTempPath(), "customer-service-tests", Guid.NewGuid().ToString("N")));
}
