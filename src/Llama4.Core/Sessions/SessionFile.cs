using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;

namespace Llama4.Core.Sessions;

/// <summary>
/// The session file format: magic <c>L4KVSESS</c>, a format version, a JSON <see cref="SessionHeader"/>, the token
/// ledger (int32 each), llama.cpp's sequence state, and a SHA-256 of everything before it. All integers little-endian.
/// </summary>
internal sealed class SessionFile : IDisposable
{
    public const int FormatVersion = 1;
    private const int MaxHeaderBytes = 1 << 20;
    private const int CopyBufferBytes = 1 << 20;
    private static readonly byte[] Magic = "L4KVSESS"u8.ToArray();
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private SessionFile(SessionHeader header, int[] tokens, NativeStateBuffer state)
    {
        Header = header;
        Tokens = tokens;
        State = state;
    }

    public SessionHeader Header { get; }

    public int[] Tokens { get; }

    public NativeStateBuffer State { get; }

    public void Dispose() => State.Dispose();

    /// <summary>Writes a session.</summary>
    public static async Task WriteAsync(Stream destination, SessionHeader header, IReadOnlyList<int> tokens, NativeStateBuffer state, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var headerBytes = JsonSerializer.SerializeToUtf8Bytes(header, JsonOptions);
        var prefix = new byte[Magic.Length + 8];
        Magic.CopyTo(prefix, 0);
        BinaryPrimitives.WriteInt32LittleEndian(prefix.AsSpan(Magic.Length), FormatVersion);
        BinaryPrimitives.WriteInt32LittleEndian(prefix.AsSpan(Magic.Length + 4), headerBytes.Length);
        await WriteHashedAsync(destination, hash, prefix, cancellationToken).ConfigureAwait(false);
        await WriteHashedAsync(destination, hash, headerBytes, cancellationToken).ConfigureAwait(false);

        var tokenBytes = new byte[tokens.Count * 4];
        for (var i = 0; i < tokens.Count; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(tokenBytes.AsSpan(i * 4), tokens[i]);
        }

        await WriteHashedAsync(destination, hash, tokenBytes, cancellationToken).ConfigureAwait(false);
        var length = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(length, state.Length);
        await WriteHashedAsync(destination, hash, length, cancellationToken).ConfigureAwait(false);

        var buffer = new byte[CopyBufferBytes];
        using (var source = state.Open(FileAccess.Read))
        {
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
        }

        await destination.WriteAsync(hash.GetHashAndReset(), cancellationToken).ConfigureAwait(false);
        await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads and checks a session: structure, lengths and checksum. The caller compares the header with its engine.</summary>
    /// <exception cref="Llama4SessionException">The data is not a session file, another format version, or damaged.</exception>
    public static async Task<SessionFile> ReadAsync(Stream source, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var prefix = new byte[Magic.Length + 8];
        if (!await TryReadHashedAsync(source, hash, prefix, cancellationToken).ConfigureAwait(false) || !prefix.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new Llama4SessionException(
                Llama4SessionProblem.NotASessionFile,
                "The data is not a Llama 4 session file (it does not start with L4KVSESS). Pass a stream written by SaveSessionAsync.");
        }

        var version = BinaryPrimitives.ReadInt32LittleEndian(prefix.AsSpan(Magic.Length));
        if (version != FormatVersion)
        {
            throw new Llama4SessionException(
                Llama4SessionProblem.UnsupportedVersion,
                $"The session file has format version {version}; this library reads version {FormatVersion}. Save the session again with this version.");
        }

        var headerLength = BinaryPrimitives.ReadInt32LittleEndian(prefix.AsSpan(Magic.Length + 4));
        if (headerLength is <= 0 or > MaxHeaderBytes)
        {
            throw Corrupt($"its header length ({headerLength} bytes) is impossible");
        }

        var headerBytes = new byte[headerLength];
        if (!await TryReadHashedAsync(source, hash, headerBytes, cancellationToken).ConfigureAwait(false))
        {
            throw Corrupt("it ends inside its header");
        }

        SessionHeader header;
        try
        {
            header = JsonSerializer.Deserialize<SessionHeader>(headerBytes, JsonOptions) ?? throw Corrupt("its header is empty");
        }
        catch (JsonException ex)
        {
            throw Corrupt("its header is not valid JSON", ex);
        }

        if (header.TokenCount <= 0 || header.TokenCount > 64 * 1024 * 1024 || header.StateBytes <= 0)
        {
            throw Corrupt($"its header declares {header.TokenCount} tokens and {header.StateBytes} state bytes");
        }

        var tokenBytes = new byte[header.TokenCount * 4];
        if (!await TryReadHashedAsync(source, hash, tokenBytes, cancellationToken).ConfigureAwait(false))
        {
            throw Corrupt("it ends inside its token list");
        }

        var tokens = new int[header.TokenCount];
        for (var i = 0; i < tokens.Length; i++)
        {
            tokens[i] = BinaryPrimitives.ReadInt32LittleEndian(tokenBytes.AsSpan(i * 4));
        }

        var lengthBytes = new byte[8];
        if (!await TryReadHashedAsync(source, hash, lengthBytes, cancellationToken).ConfigureAwait(false))
        {
            throw Corrupt("it ends before its state");
        }

        var stateLength = BinaryPrimitives.ReadInt64LittleEndian(lengthBytes);
        if (stateLength != header.StateBytes)
        {
            throw Corrupt($"its state length ({stateLength}) differs from its header ({header.StateBytes})");
        }

        if (source.CanSeek && source.Length - source.Position < stateLength + 32)
        {
            throw Corrupt($"it is truncated: {source.Length - source.Position} bytes remain, {stateLength + 32} expected");
        }

        var state = new NativeStateBuffer(stateLength);
        try
        {
            var buffer = new byte[CopyBufferBytes];
            using (var target = state.Open(FileAccess.Write))
            {
                var remaining = stateLength;
                while (remaining > 0)
                {
                    var chunk = (int)Math.Min(buffer.Length, remaining);
                    if (!await TryReadHashedAsync(source, hash, buffer.AsMemory(0, chunk), cancellationToken).ConfigureAwait(false))
                    {
                        throw Corrupt("it ends inside its state");
                    }

                    await target.WriteAsync(buffer.AsMemory(0, chunk), cancellationToken).ConfigureAwait(false);
                    remaining -= chunk;
                }
            }

            var expected = hash.GetHashAndReset();
            var actual = new byte[expected.Length];
            if (await source.ReadAtLeastAsync(actual, actual.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) < actual.Length
                || !CryptographicOperations.FixedTimeEquals(expected, actual))
            {
                throw Corrupt("its checksum does not match its content");
            }

            return new SessionFile(header, tokens, state);
        }
        catch
        {
            state.Dispose();
            throw;
        }
    }

    private static async Task WriteHashedAsync(Stream destination, IncrementalHash hash, byte[] bytes, CancellationToken cancellationToken)
    {
        hash.AppendData(bytes);
        await destination.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<bool> TryReadHashedAsync(Stream source, IncrementalHash hash, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var read = await source.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (read < buffer.Length)
        {
            return false;
        }

        hash.AppendData(buffer.Span);
        return true;
    }

    private static Llama4SessionException Corrupt(string what, Exception? inner = null) => new(
        Llama4SessionProblem.Corrupt,
        $"The session file is damaged: {what}. Save the session again; a partly copied or edited file cannot be restored.",
        inner);
}
