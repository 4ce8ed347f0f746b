using System.Security.Cryptography;
using Llama4.GgufFuzz;
using Llama4.TinyModel;

namespace Llama4.Core.Tests.Gguf;

/// <summary>
/// Corrupted model files, each loaded by <see cref="Llama4Engine.LoadAsync(Llama4EngineOptions, Microsoft.Extensions.Logging.ILoggerFactory?, CancellationToken)"/>
/// in a child process (tools/Llama4.GgufFuzz, copied beside the tests) that also runs a short free and a short
/// grammar-constrained generation when the file loads. Every file must end in a typed refusal or a clean load: never a
/// native crash (the child dies), a hang (the per-file limit passes) or another managed exception. The cases are
/// deterministic (fixed seeds); the longer run is the tool itself (docs/reliability.md).
/// </summary>
public sealed class GgufFuzzTests : IDisposable
{
    private const int FilesPerSeed = 150;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "llama4-gguf-fuzz-tests-" + RandomNumberGenerator.GetHexString(12, lowercase: true));

    public GgufFuzzTests()
    {
        Directory.CreateDirectory(_directory);
    }

    [Theory]
    [InlineData(101)]
    [InlineData(202)]
    public async Task LoadAsync_CorruptedModelFiles_AreRefusedOrLoadCleanlyAndNeverCrashOrHang(int seed)
    {
        var mutator = new GgufMutator(FuzzBaseModel.Write());
        var cases = new List<FuzzCase>(FilesPerSeed);
        var paths = new List<string>(FilesPerSeed);
        for (int index = 0; index < FilesPerSeed; index++)
        {
            FuzzCase fuzzCase = mutator.Create(seed, index);
            string path = Path.Combine(_directory, $"seed{seed}-case{index:D4}.gguf");
            await File.WriteAllBytesAsync(path, fuzzCase.Bytes, TestContext.Current.CancellationToken);
            cases.Add(fuzzCase);
            paths.Add(path);
        }

        var runner = new FuzzRunner(FuzzChildCommand.ForThisAssembly(), TimeSpan.FromSeconds(120));
        IReadOnlyList<FuzzFileResult> results = await runner.RunAsync(paths, cancellationToken: TestContext.Current.CancellationToken);

        string[] failures =
        [
            .. results
                .Where(r => r.Outcome is not (FuzzOutcome.Clean or FuzzOutcome.Refused))
                .Select(r => $"seed {seed} case {r.Index} ({cases[r.Index].Family}: {cases[r.Index].Description}): {r.Outcome}: {r.Detail}"),
        ];
        Assert.True(failures.Length == 0, "Rebuild a case with: dotnet run --project tools/Llama4.GgufFuzz -c Release -- --seed S --first N --files 1 --keep DIR\n" + string.Join('\n', failures));
        Assert.Equal(FilesPerSeed, results.Count);
        Assert.Contains(results, r => r.Outcome == FuzzOutcome.Clean);
        Assert.Contains(results, r => r.Outcome == FuzzOutcome.Refused);
    }

    [Fact]
    public async Task LoadAsync_EveryWeightTypeTheValidatorAccepts_LoadsAndGenerates()
    {
        // The validator's list of runnable weight types must be safe: each type, as a dense and an expert matrix, the
        // embedding table, the output matrix and the router at once, loads and generates in a child process. Width 256
        // gives the K and IQ quantizations (256-element blocks) whole rows; zero data is valid in every type.
        int[] types = [0, 1, 2, 3, 6, 7, 8, 10, 11, 12, 13, 14, 16, 17, 18, 19, 20, 21, 22, 23, 29, 30, 34, 35, 39];
        var model = TinyModelOptions.Default with
        {
            EmbeddingLength = 256,
            HeadCount = 8,
            FeedForwardLength = 256,
            ExpertFeedForwardLength = 256,
            ExpertCount = 2,
            MergeCount = 0,
        };
        var paths = new List<string>();
        foreach (int type in types)
        {
            string path = Path.Combine(_directory, $"type{type}.gguf");
            TinyModelWriter.Write(path, model with
            {
                TensorTypeOverrides = new Dictionary<string, int>
                {
                    ["blk.0.ffn_down.weight"] = type,
                    ["blk.1.ffn_down_exps.weight"] = type,
                    ["blk.1.ffn_gate_inp.weight"] = type,
                    ["token_embd.weight"] = type,
                    ["output.weight"] = type,
                },
            });
            paths.Add(path);
        }

        var runner = new FuzzRunner(FuzzChildCommand.ForThisAssembly(), TimeSpan.FromSeconds(120));
        IReadOnlyList<FuzzFileResult> results = await runner.RunAsync(paths, cancellationToken: TestContext.Current.CancellationToken);

        string[] failures = [.. results.Where(r => r.Outcome != FuzzOutcome.Clean).Select(r => $"type {types[r.Index]}: {r.Outcome}: {r.Detail}")];
        Assert.True(failures.Length == 0, string.Join('\n', failures));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
