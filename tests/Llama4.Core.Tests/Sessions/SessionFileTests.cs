using System.Buffers.Binary;
using Llama4.Core.Sessions;

namespace Llama4.Core.Tests.Sessions;

public sealed class SessionFileTests
{
    [Fact]
    public async Task ReadAsync_WrittenSession_RoundTrips()
    {
        var bytes = await WriteAsync(tokens: [5, 6, 7], state: [1, 2, 3, 4, 5]);

        using var file = await SessionFile.ReadAsync(new MemoryStream(bytes), TestContext.Current.CancellationToken);

        Assert.Equal([5, 6, 7], file.Tokens);
        Assert.Equal("conversation", file.Header.ConversationId);
        Assert.Equal(5, file.State.Length);
        using var state = file.State.Open(FileAccess.Read);
        var copy = new byte[5];
        state.ReadExactly(copy);
        Assert.Equal([1, 2, 3, 4, 5], copy);
    }

    [Fact]
    public async Task ReadAsync_FlippedByte_IsCorrupt()
    {
        var bytes = await WriteAsync(tokens: [1, 2], state: [9, 9, 9, 9]);
        bytes[^35] ^= 0x40;

        var ex = await Assert.ThrowsAsync<Llama4SessionException>(() => SessionFile.ReadAsync(new MemoryStream(bytes), TestContext.Current.CancellationToken));

        Assert.Equal(Llama4SessionProblem.Corrupt, ex.Problem);
        Assert.Contains("checksum", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(40)]
    [InlineData(1)]
    public async Task ReadAsync_Truncated_IsCorrupt(int missing)
    {
        var bytes = await WriteAsync(tokens: [1, 2, 3], state: [1, 2, 3, 4, 5, 6, 7, 8]);

        var ex = await Assert.ThrowsAsync<Llama4SessionException>(() => SessionFile.ReadAsync(new MemoryStream(bytes[..^missing]), TestContext.Current.CancellationToken));

        Assert.Equal(Llama4SessionProblem.Corrupt, ex.Problem);
    }

    [Fact]
    public async Task ReadAsync_OtherData_IsNotASessionFile()
    {
        var ex = await Assert.ThrowsAsync<Llama4SessionException>(() => SessionFile.ReadAsync(new MemoryStream("GGUF and more bytes"u8.ToArray()), TestContext.Current.CancellationToken));

        Assert.Equal(Llama4SessionProblem.NotASessionFile, ex.Problem);
    }

    [Fact]
    public async Task ReadAsync_OtherFormatVersion_IsUnsupportedVersion()
    {
        var bytes = await WriteAsync(tokens: [1], state: [1]);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), 99);

        var ex = await Assert.ThrowsAsync<Llama4SessionException>(() => SessionFile.ReadAsync(new MemoryStream(bytes), TestContext.Current.CancellationToken));

        Assert.Equal(Llama4SessionProblem.UnsupportedVersion, ex.Problem);
    }

    [Fact]
    public void Differences_OtherModelAndSettings_NameEachOne()
    {
        var engine = new SessionHeader { ModelFingerprint = "aa", ContextSize = 8192, KeyCacheType = "F16" };
        var saved = engine with { ModelFingerprint = "bb", ContextSize = 4096, KeyCacheType = "Q8_0" };

        var (model, configuration) = SessionHeader.Differences(saved, engine);

        Assert.Single(model);
        Assert.Equal(2, configuration.Count);
        Assert.Contains(configuration, d => d.Contains("ContextSize: saved 4096, this engine 8192", StringComparison.Ordinal));
    }

    private static async Task<byte[]> WriteAsync(int[] tokens, byte[] state)
    {
        using var buffer = new NativeStateBuffer(state.Length);
        using (var target = buffer.Open(FileAccess.Write))
        {
            target.Write(state);
        }

        var header = new SessionHeader { ConversationId = "conversation", TokenCount = tokens.Length, StateBytes = state.Length, ModelName = "m" };
        using var stream = new MemoryStream();
        await SessionFile.WriteAsync(stream, header, tokens, buffer, TestContext.Current.CancellationToken);
        return stream.ToArray();
    }
}
