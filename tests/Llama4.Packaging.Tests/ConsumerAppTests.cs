using Llama4.TinyModel;

namespace Llama4.Packaging.Tests;

/// <summary>
/// A fresh console app that references the packed Llama4 packages from the feed folder only, as a consumer would,
/// builds and runs one chat turn on the generated tiny model through <c>AddLlama4ChatClient</c>.
/// </summary>
[Collection(PackageFeedGroup.Name)]
public sealed class ConsumerAppTests(PackageFeedFixture feed)
{
    private const string Program = """
        using Llama4.Core;
        using Microsoft.Extensions.AI;
        using Microsoft.Extensions.DependencyInjection;

        var services = new ServiceCollection();
        services.AddLlama4ChatClient(o =>
        {
            o.ModelPath = args[0];
            o.ContextSize = 2048;
            o.MaxParallelSequences = 1;
        });

        try
        {
            await using var provider = services.BuildServiceProvider();
            var client = provider.GetRequiredService<IChatClient>();
            var response = await client.GetResponseAsync("Hello!", new ChatOptions { MaxOutputTokens = 8, Seed = 1 });
            Console.WriteLine($"TURN finish={response.FinishReason} input={response.Usage?.InputTokenCount} output={response.Usage?.OutputTokenCount}");
            return 0;
        }
        catch (Llama4BackendUnavailableException ex)
        {
            Console.WriteLine($"BACKEND-UNAVAILABLE {ex.Message}");
            return 3;
        }
        """;

    [Fact]
    public async Task FreshConsoleApp_ReferencingThePackedPackagesOnly_BuildsAndRunsAChatTurn()
    {
        var app = await feed.ConsumerApp.Value;
        var packages = Path.Combine(feed.WorkDirectory, "packages");

        var run = (await DotNetCli.RunAsync(app, ["run", "-c", "Release", "--no-build", "--", TinyModelCache.GetOrCreate()], TimeSpan.FromMinutes(3))).EnsureSuccess("Running the consumer app");

        Assert.Matches(@"TURN finish=(stop|length) input=\d+ output=[1-8]\b", run.Output);
        // Every Llama4 package came from the feed into the app's own package folder, never from anywhere else.
        foreach (var id in new[] { "llama4.core", "llama4.extensions.ai" })
        {
            Assert.True(Directory.Exists(Path.Combine(packages, id, feed.Version)), $"{id} {feed.Version} was not restored from the feed into {packages}.");
        }
    }

    [Fact]
    public async Task FreshConsoleApp_WithoutTheNativeBackendFiles_FailsWithTheTypedExceptionNamingThePackage()
    {
        // The built app's output, copied without its native libraries (runtimes/), as if no backend package were referenced.
        var built = Path.Combine(await feed.ConsumerApp.Value, "bin", "Release", "net10.0");
        var copy = Path.Combine(feed.WorkDirectory, "app-without-backend");
        foreach (var file in Directory.EnumerateFiles(built, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(built, file);
            if (!relative.StartsWith("runtimes", StringComparison.Ordinal))
            {
                var target = Path.Combine(copy, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
        }

        var run = await DotNetCli.RunAsync(copy, [Path.Combine(copy, "Consumer.dll"), TinyModelCache.GetOrCreate()], TimeSpan.FromMinutes(3));

        Assert.True(run.ExitCode == 3, $"Expected the typed backend error (exit code 3), got {run.ExitCode}:{Environment.NewLine}{run.Output}");
        Assert.Contains("BACKEND-UNAVAILABLE", run.Output, StringComparison.Ordinal);
        Assert.Contains("LLamaSharp.Backend.Cpu", run.Output, StringComparison.Ordinal);
    }

    /// <summary>Writes the consumer app beside the feed and builds it; the fixture does this once for both tests.</summary>
    internal static async Task<string> CreateAndBuildAsync(PackageFeedFixture feed)
    {
        var app = Path.Combine(feed.WorkDirectory, "app");
        Directory.CreateDirectory(app);
        var packages = Path.Combine(feed.WorkDirectory, "packages");

        // The feed is added beside the machine's configured sources; the Llama4 packages exist only in the feed. The
        // app restores into its own package folder (checked above), reading other packages from the machine's global
        // folder as a fallback so that the native backend is not extracted again.
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="llama4-feed" value="{feed.FeedDirectory}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <RestorePackagesPath>{packages}</RestorePackagesPath>
                <RestoreAdditionalProjectFallbackFolders>{GlobalPackagesFolder()}</RestoreAdditionalProjectFallbackFolders>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Llama4.Extensions.AI" Version="{feed.Version}" />
                <PackageReference Include="LLamaSharp.Backend.Cpu" Version="{RepositoryLayout.CentralVersion("LLamaSharp.Backend.Cpu")}" />
                <PackageReference Include="Microsoft.Extensions.DependencyInjection" Version="{RepositoryLayout.CentralVersion("Microsoft.Extensions.DependencyInjection")}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), Program);

        // Nothing of the repository's build setup may leak in: the app sits outside the clone.
        Assert.False(app.StartsWith(RepositoryLayout.Root, StringComparison.Ordinal));
        (await DotNetCli.RunAsync(app, ["build", "-c", "Release"], TimeSpan.FromMinutes(8))).EnsureSuccess("Building the consumer app");
        return app;
    }

    private static string GlobalPackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
