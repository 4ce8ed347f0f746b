// Fuzzes Llama 4 model files: writes corrupted variants of a tiny llama4 GGUF (header bytes, bit flips, the llama4 keys
// llama.cpp reads, the tokenizer, tensor types and shapes, truncation) and loads each one through Llama4Engine.LoadAsync
// in a child process, running a short free and a short grammar-constrained generation when it loads. Counts typed
// refusals, clean loads, untyped exceptions, native crashes (the child dies) and hangs (the per-file limit passes).
// Exit code 0 only when there was no crash, hang or untyped exception. The CI suite runs a few hundred cases of the
// same generator (tests/Llama4.Core.Tests/Gguf/GgufFuzzTests.cs); this is the longer run:
//   dotnet run --project tools/Llama4.GgufFuzz -c Release -- --files 3000 --seed 1
using System.Diagnostics;
using System.Globalization;
using Llama4.GgufFuzz;

if (args is ["--child"])
{
    return await FuzzChild.RunBatchAsync(Console.In, Console.Out);
}

if (args is ["--one", var single])
{
    return await FuzzChild.RunOneAsync(single, Console.Out);
}

FuzzOptions options;
try
{
    options = FuzzOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(FuzzOptions.Usage);
    return 2;
}

const int ChunkSize = 200;
var mutator = new GgufMutator(FuzzBaseModel.Write());
var runner = new FuzzRunner(FuzzChildCommand.ForThisAssembly(), options.Timeout, options.Workers);
string folder = Path.Combine(Path.GetTempPath(), "llama4-gguf-fuzz-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
Directory.CreateDirectory(folder);
var cases = new List<(FuzzFamily Family, string Description)>(options.Files);
var results = new List<FuzzFileResult>(options.Files);
var stopwatch = Stopwatch.StartNew();
try
{
    for (int first = 0; first < options.Files; first += ChunkSize)
    {
        var paths = new List<string>();
        for (int index = first; index < Math.Min(options.Files, first + ChunkSize); index++)
        {
            FuzzCase fuzzCase = mutator.Create(options.Seed, options.First + index);
            string path = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"case-{options.Seed}-{options.First + index:D5}.gguf"));
            await File.WriteAllBytesAsync(path, fuzzCase.Bytes);
            cases.Add((fuzzCase.Family, fuzzCase.Description));
            paths.Add(path);
        }

        IReadOnlyList<FuzzFileResult> chunk = await runner.RunAsync(paths);
        foreach (FuzzFileResult result in chunk)
        {
            FuzzFileResult shifted = result with { Index = result.Index + first };
            results.Add(shifted);
            if (shifted.Outcome is not (FuzzOutcome.Clean or FuzzOutcome.Refused))
            {
                Console.WriteLine($"#{options.First + shifted.Index} {shifted.Outcome}: {cases[shifted.Index].Description}: {shifted.Detail}");
                if (options.KeepDirectory is { } keep)
                {
                    Directory.CreateDirectory(keep);
                    File.Copy(paths[result.Index], Path.Combine(keep, Path.GetFileName(paths[result.Index])), overwrite: true);
                }
            }
        }

        foreach (string path in paths)
        {
            File.Delete(path);
        }

        Console.WriteLine($"{results.Count}/{options.Files} files, {stopwatch.Elapsed.TotalSeconds:F0} s");
    }
}
finally
{
    Directory.Delete(folder, recursive: true);
}

var summary = new FuzzSummary(options.Seed, options.First, cases, results, stopwatch.Elapsed);
string markdown = summary.ToMarkdown();
Console.WriteLine();
Console.WriteLine(markdown);
if (options.ReportPath is { } report)
{
    await File.WriteAllTextAsync(report, markdown);
}

return summary.Failures.Any() ? 1 : 0;
