using LLama;
using LLama.Common;
using LLama.Native;
using Llama4.TinyModel;

var modelPath = TinyModelCache.GetOrCreate();
var projPath = TinyModelCache.GetOrCreateProjector();
using var weights = LLamaWeights.LoadFromFile(new ModelParams(modelPath) { ContextSize = 512, GpuLayerCount = 0 });
var mp = MtmdContextParams.Default();
mp.UseGpu = false; mp.PrintTimings = false; mp.NThreads = 2; mp.Warmup = false;
var sw = System.Diagnostics.Stopwatch.StartNew();
using var mtmd = MtmdWeights.LoadFromFile(projPath, weights, mp);
Console.WriteLine($"load {sw.ElapsedMilliseconds} ms");
byte[] png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC");
var corrupt = png[..20].Concat(new byte[40]).ToArray();
Console.WriteLine("corrupt start");
using (var e = SafeMtmdEmbed.FromMediaBuffer(mtmd.NativeHandle, corrupt)) Console.WriteLine($"corrupt png -> {(e is null ? "null" : e.Nx + "x" + e.Ny)}");
using var ctx = weights.CreateContext(new ModelParams(modelPath) { ContextSize = 512, GpuLayerCount = 0 });
for (int k = 0; k < 3; k++)
{
    using var embed = SafeMtmdEmbed.FromRgbBytes(56, 56, new byte[56*56*3])!;
    mtmd.NativeHandle.Tokenize("<__media__>", false, true, new[] { embed }, out var chunks);
    foreach (var c in chunks!.Enumerate())
    {
        if (c.Type != SafeMtmdInputChunk.SafeMtmdInputChunkType.Image) continue;
        int past = k * 4;
        sw.Restart();
        var rc = mtmd.NativeHandle.EvaluateChunk(c.NativePtr, ctx.NativeHandle, ref past, 0, 512, false);
        Console.WriteLine($"eval rc={rc} past={past} {sw.ElapsedMilliseconds} ms");
    }
    chunks.Dispose();
}
// overflow: small context
using var small = weights.CreateContext(new ModelParams(modelPath) { ContextSize = 256, GpuLayerCount = 0 });
Console.WriteLine($"small ctx n_ctx={small.ContextSize}");
