namespace Llama4.Core.Tests.Memory;

/// <summary>One of llama.cpp's <c>llama_kv_cache: size = ...</c> lines (sizes in MiB, printed with two decimals).</summary>
internal sealed record KvCacheLine(decimal TotalMiB, int Cells, int Layers, int Streams, string KeyType, decimal KeyMiB, string ValueType, decimal ValueMiB);
