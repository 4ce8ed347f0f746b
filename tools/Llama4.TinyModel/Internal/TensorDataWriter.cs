using System.Buffers.Binary;
using Llama4.TinyModel.Gguf;

namespace Llama4.TinyModel.Internal;

/// <summary>
/// Generates tensor contents. Each run of <see cref="ChunkElements"/> elements has its own generator, seeded from the
/// model seed, the tensor name and the chunk index, so chunks can be produced in parallel and the bytes never depend
/// on scheduling.
/// </summary>
internal sealed class TensorDataWriter
{
    private const int ChunkElements = 1 << 16;
    private const int ChunksPerBatch = 32;

    private readonly ulong _seed;
    private readonly double _standardDeviation;

    public TensorDataWriter(ulong seed, float standardDeviation)
    {
        _seed = seed;
        _standardDeviation = standardDeviation;
    }

    public void Write(TensorSpec tensor, Stream output)
    {
        if (tensor.OtherType is not null)
        {
            // Types other than F32/F16 exist only to build files llama.cpp must refuse or survive: zeros will do.
            WriteZeros(tensor.ByteCount, output);
            return;
        }

        int elementSize = tensor.IsF16 ? 2 : 4;
        long elements = tensor.ElementCount;
        long chunkCount = (elements + ChunkElements - 1) / ChunkElements;
        ulong nameHash = StableHash.Fnv1a64(tensor.Name);
        byte[] buffer = new byte[Math.Min(elements, (long)ChunkElements * ChunksPerBatch) * elementSize];

        for (long firstChunk = 0; firstChunk < chunkCount; firstChunk += ChunksPerBatch)
        {
            int batch = (int)Math.Min(ChunksPerBatch, chunkCount - firstChunk);
            long batchFirstElement = firstChunk * ChunkElements;
            int batchElements = (int)Math.Min((long)batch * ChunkElements, elements - batchFirstElement);
            Parallel.For(0, batch, i =>
            {
                long chunk = firstChunk + i;
                int start = i * ChunkElements;
                int count = Math.Min(ChunkElements, batchElements - start);
                Span<byte> span = buffer.AsSpan(start * elementSize, count * elementSize);
                Fill(tensor, chunk, nameHash, span, count);
            });

            output.Write(buffer, 0, batchElements * elementSize);
        }
    }

    private static void WriteZeros(long count, Stream output)
    {
        byte[] zeros = new byte[(int)Math.Min(count, 1 << 16)];
        for (long left = count; left > 0; left -= zeros.Length)
        {
            output.Write(zeros, 0, (int)Math.Min(left, zeros.Length));
        }
    }

    private void Fill(TensorSpec tensor, long chunk, ulong nameHash, Span<byte> destination, int count)
    {
        Xoshiro256StarStar? random = tensor.Fill == TensorFill.Normal
            ? new Xoshiro256StarStar(Xoshiro256StarStar.Mix(_seed, nameHash, (ulong)chunk))
            : null;
        for (int i = 0; i < count; i++)
        {
            float value = random is null ? 1f : (float)(random.NextStandardNormal() * _standardDeviation);
            if (tensor.IsF16)
            {
                BinaryPrimitives.WriteHalfLittleEndian(destination.Slice(i * 2, 2), (Half)value);
            }
            else
            {
                BinaryPrimitives.WriteSingleLittleEndian(destination.Slice(i * 4, 4), value);
            }
        }
    }
}
