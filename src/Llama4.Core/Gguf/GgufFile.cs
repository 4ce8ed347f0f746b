using System.Globalization;
using System.Text;

namespace Llama4.Core.Gguf;

/// <summary>
/// The header of a GGUF file: version, every metadata value and every tensor's name, shape, type and data range.
/// Tensor data is never read. Parsing is bounded by the file length, so a truncated or garbage file produces a
/// <see cref="Llama4ModelValidationException"/>, never an out-of-memory or end-of-stream error.
/// </summary>
internal sealed class GgufFile
{
    /// <summary>The alignment used when <c>general.alignment</c> is absent.</summary>
    public const uint DefaultAlignment = 32;

    /// <summary>ggml's <c>TENSOR_ALIGNMENT</c>: the smallest alignment llama.cpp can map tensor data with.</summary>
    public const uint MinimumAlignment = 32;

    private const int MaxTensorNameBytes = 63;
    private const ulong PlausibleTensorCount = 1UL << 20;
    private const ulong PlausibleKeyCount = 1UL << 20;
    private const ulong MaxKeyBytes = 1UL << 16;
    private const int MaxDimensions = 4;
    private static readonly byte[] Magic = "GGUF"u8.ToArray();

    private GgufFile(
        string path,
        long fileLength,
        uint version,
        IReadOnlyDictionary<string, GgufMetadataValue> metadata,
        IReadOnlyList<string> keys,
        IReadOnlyList<GgufTensorInfo> tensors,
        uint alignment,
        long dataOffset)
    {
        Path = path;
        FileLength = fileLength;
        Version = version;
        Metadata = metadata;
        Keys = keys;
        Tensors = tensors;
        Alignment = alignment;
        DataOffset = dataOffset;
    }

    /// <summary>The path the file was read from.</summary>
    public string Path { get; }

    /// <summary>The file size in bytes.</summary>
    public long FileLength { get; }

    /// <summary>The GGUF version (2 or 3).</summary>
    public uint Version { get; }

    /// <summary>Every metadata value by key (ordinal).</summary>
    public IReadOnlyDictionary<string, GgufMetadataValue> Metadata { get; }

    /// <summary>The metadata keys in file order.</summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>The tensor infos in file order.</summary>
    public IReadOnlyList<GgufTensorInfo> Tensors { get; }

    /// <summary>The data alignment (<c>general.alignment</c>, default 32).</summary>
    public uint Alignment { get; }

    /// <summary>The absolute offset where the tensor data section starts.</summary>
    public long DataOffset { get; }

    /// <summary>Looks up a metadata value.</summary>
    public bool TryGetValue(string key, out GgufMetadataValue value) => Metadata.TryGetValue(key, out value!);

    /// <summary>Reads the header of the file at <paramref name="path"/>.</summary>
    /// <exception cref="Llama4ModelValidationException">The file is missing, unreadable, not GGUF, truncated or corrupt.</exception>
    public static GgufFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
        {
            throw new Llama4ModelValidationException(
                Llama4ModelProblem.FileNotFound,
                path,
                $"'{path}' is a directory, not a model file; pass the path of the .gguf file inside it.");
        }

        if (!File.Exists(path))
        {
            throw NotFound(path);
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            return Read(stream, path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw NotFound(path, ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new Llama4ModelValidationException(
                Llama4ModelProblem.LoadFailed,
                path,
                $"The model file '{path}' cannot be opened (access denied); give this process read permission on it.",
                ex);
        }
        catch (IOException ex)
        {
            throw new Llama4ModelValidationException(
                Llama4ModelProblem.LoadFailed,
                path,
                $"The model file '{path}' could not be read ({ex.Message}); check the disk and the file's permissions.",
                ex);
        }
    }

    /// <summary>Reads a GGUF header from a seekable stream positioned at the start of the file.</summary>
    /// <param name="stream">The file's bytes (seekable, so the length is known).</param>
    /// <param name="path">The path to report in messages.</param>
    /// <exception cref="Llama4ModelValidationException">The bytes are not GGUF, truncated or corrupt.</exception>
    public static GgufFile Read(Stream stream, string path)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new GgufReader(stream, path);
        try
        {
            return Parse(reader);
        }
        catch (EndOfStreamException ex)
        {
            // Every read is bounds-checked first, so this means the file shrank while it was being read.
            Llama4ModelValidationException truncated = reader.Truncated("the file (it changed while it was being read)");
            throw new Llama4ModelValidationException(truncated.Problem, path, truncated.Message, ex);
        }
    }

    private static GgufFile Parse(GgufReader reader)
    {
        string path = reader.Path;
        CheckMagic(reader);
        uint version = ReadVersion(reader);

        ulong tensorCount = reader.ReadUInt64("the header (tensor count)");
        ulong keyCount = reader.ReadUInt64("the header (metadata key count)");
        reader.CheckDeclared(keyCount, 13, PlausibleKeyCount, "the metadata key count");
        reader.CheckDeclared(tensorCount, 32, PlausibleTensorCount, "the tensor count");

        var metadata = new Dictionary<string, GgufMetadataValue>((int)keyCount, StringComparer.Ordinal);
        var keys = new List<string>((int)keyCount);
        for (ulong i = 0; i < keyCount; i++)
        {
            string key = reader.ReadString(string.Create(CultureInfo.InvariantCulture, $"metadata key #{i}"), MaxKeyBytes);
            string what = $"the metadata value of '{key}'";
            var type = (GgufValueType)reader.ReadUInt32(what);
            GgufMetadataValue value;
            if (type == GgufValueType.Array)
            {
                var elementType = (GgufValueType)reader.ReadUInt32(what);
                ulong count = reader.ReadUInt64(what);
                Array elements = reader.ReadArray(elementType, count, what, out byte[]?[]? invalidUtf8);
                value = new GgufMetadataValue(type, elementType, elements, invalidUtf8);
            }
            else
            {
                object scalar = reader.ReadScalar(type, what);
                value = new GgufMetadataValue(type, type, scalar);
            }

            if (!metadata.TryAdd(key, value))
            {
                throw reader.Corrupt($"the metadata key '{key}' appears twice");
            }

            keys.Add(key);
        }

        uint alignment = ReadAlignment(metadata, path);

        var tensors = new List<(string Name, ulong[] Dims, uint Type, ulong Offset)>((int)tensorCount);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (ulong i = 0; i < tensorCount; i++)
        {
            string name = reader.ReadString(string.Create(CultureInfo.InvariantCulture, $"the name of tensor #{i}"), MaxKeyBytes);
            if (Encoding.UTF8.GetByteCount(name) > MaxTensorNameBytes)
            {
                throw reader.Corrupt($"the tensor name '{name}' is longer than the {MaxTensorNameBytes} bytes ggml allows");
            }

            if (!names.Add(name))
            {
                throw reader.Corrupt($"the tensor '{name}' appears twice");
            }

            string what = $"the info of tensor '{name}'";
            uint dimensionCount = reader.ReadUInt32(what);
            if (dimensionCount > MaxDimensions)
            {
                throw reader.Corrupt(string.Create(CultureInfo.InvariantCulture, $"tensor '{name}' has {dimensionCount} dimensions (ggml allows at most {MaxDimensions})"));
            }

            var dimensions = new ulong[dimensionCount];
            for (int d = 0; d < dimensions.Length; d++)
            {
                dimensions[d] = reader.ReadUInt64(what);
                if (dimensions[d] > long.MaxValue)
                {
                    throw reader.Corrupt(string.Create(CultureInfo.InvariantCulture, $"tensor '{name}' has the impossible dimension {dimensions[d]}"));
                }
            }

            uint typeId = reader.ReadUInt32(what);
            ulong offset = reader.ReadUInt64(what);
            tensors.Add((name, dimensions, typeId, offset));
        }

        long dataOffset = (long)Align((ulong)reader.Position, alignment);
        List<GgufTensorInfo> infos = CheckTensors(reader, tensors, alignment, dataOffset);
        return new GgufFile(path, reader.Length, version, metadata, keys, infos, alignment, dataOffset);
    }

    private static List<GgufTensorInfo> CheckTensors(
        GgufReader reader,
        List<(string Name, ulong[] Dims, uint Type, ulong Offset)> tensors,
        uint alignment,
        long dataOffset)
    {
        var infos = new List<GgufTensorInfo>(tensors.Count);
        if (tensors.Count > 0 && dataOffset > reader.Length)
        {
            throw reader.Truncated("the padding before the tensor data");
        }

        ulong expectedOffset = 0;
        bool layoutKnown = true;
        foreach ((string name, ulong[] dims, uint type, ulong offset) in tensors)
        {
            UInt128 elements = 1;
            foreach (ulong d in dims)
            {
                elements *= d;
                if (elements > long.MaxValue)
                {
                    throw reader.Corrupt($"tensor '{name}' has more elements than ggml can address");
                }
            }

            if (offset % alignment != 0)
            {
                throw reader.Corrupt(string.Create(CultureInfo.InvariantCulture, $"tensor '{name}' starts at data offset {offset}, which is not a multiple of the alignment {alignment}"));
            }

            ulong? byteLength = null;
            if (GgmlTypeInfo.TryGetLayout(type, out int blockSize, out int typeSize))
            {
                ulong rowLength = dims.Length > 0 ? dims[0] : 1;
                if (rowLength % (ulong)blockSize != 0)
                {
                    throw reader.Corrupt(string.Create(
                        CultureInfo.InvariantCulture,
                        $"tensor '{name}' of type {GgmlTypeInfo.GetName(type)} has rows of {rowLength} elements, not a multiple of the block size {blockSize}"));
                }

                UInt128 bytes = elements / (ulong)blockSize * (ulong)typeSize;
                if (bytes > long.MaxValue)
                {
                    throw reader.Corrupt($"tensor '{name}' is larger than any file");
                }

                byteLength = (ulong)bytes;
                if (layoutKnown && offset != expectedOffset)
                {
                    throw reader.Corrupt(string.Create(
                        CultureInfo.InvariantCulture,
                        $"tensor '{name}' starts at data offset {offset} but the tensors before it end at {expectedOffset} (llama.cpp requires contiguous tensor data)"));
                }

                expectedOffset = Align(offset + byteLength.Value, alignment);
                UInt128 end = (UInt128)(ulong)dataOffset + offset + byteLength.Value;
                if (end > (ulong)reader.Length)
                {
                    throw new Llama4ModelValidationException(
                        Llama4ModelProblem.Truncated,
                        reader.Path,
                        string.Create(
                            CultureInfo.InvariantCulture,
                            $"The model file '{reader.Path}' is truncated: the data of tensor '{name}' ends at byte {end} but the file has only {reader.Length} bytes. The download or copy did not finish; download or copy the file again."));
                }
            }
            else
            {
                // An unknown type (newer ggml): its size is unknown, so later offsets cannot be checked for contiguity.
                layoutKnown = false;
            }

            infos.Add(new GgufTensorInfo(name, dims, type, offset, byteLength));
        }

        // llama.cpp and gguf-py end a file with the last tensor's data and its alignment padding. More bytes after it
        // mean the header no longer describes the data (a tensor count or a shape one lower than written): every
        // tensor is then read from the wrong place, and the garbage weights (NaN among them) reach the sampler.
        if (layoutKnown && tensors.Count > 0 && (ulong)reader.Length >= (ulong)dataOffset + expectedOffset + alignment)
        {
            throw reader.Corrupt(string.Create(
                CultureInfo.InvariantCulture,
                $"the tensor data described by the header ends at byte {(ulong)dataOffset + expectedOffset}, but the file goes on for {(ulong)reader.Length - ((ulong)dataOffset + expectedOffset)} more bytes (the tensor count or a tensor's shape is damaged, so every tensor would be read from the wrong place)"));
        }

        return infos;
    }

    private static void CheckMagic(GgufReader reader)
    {
        string path = reader.Path;
        if (reader.Length == 0)
        {
            throw new Llama4ModelValidationException(
                Llama4ModelProblem.Truncated,
                path,
                $"The model file '{path}' is empty (0 bytes): the download or copy did not finish; download or copy the file again.");
        }

        int count = (int)Math.Min(64, reader.Length);
        byte[] head = new byte[count];
        for (int i = 0; i < count; i++)
        {
            head[i] = (byte)reader.ReadScalar(GgufValueType.UInt8, "the magic bytes");
        }

        int magicLength = Math.Min(4, count);
        if (head.AsSpan(0, magicLength).SequenceEqual(Magic.AsSpan(0, magicLength)))
        {
            if (count < 4)
            {
                throw reader.Truncated("the magic bytes");
            }

            reader.SkipTo(4, "the header");
            return;
        }

        throw new Llama4ModelValidationException(
            Llama4ModelProblem.NotGguf,
            path,
            $"The model file '{path}' is not a GGUF file (magic bytes '{Escape(head.AsSpan(0, magicLength))}'){Hint(head)}; pass the path of a .gguf model file.");
    }

    private static uint ReadVersion(GgufReader reader)
    {
        string path = reader.Path;
        uint version = reader.ReadUInt32("the header (version)");
        if (version is 2 or 3)
        {
            return version;
        }

        string detail;
        if (version == 1)
        {
            detail = "GGUF version 1, an early 2023 format that llama.cpp no longer reads; convert the original model again with a current llama.cpp";
        }
        else if (version > 0xFFFF && (version & 0xFFFF) == 0)
        {
            detail = string.Create(
                CultureInfo.InvariantCulture,
                $"a big-endian GGUF file (version field 0x{version:x8}); llama.cpp here reads only little-endian files: use the little-endian conversion of the model");
        }
        else
        {
            detail = string.Create(
                CultureInfo.InvariantCulture,
                $"GGUF version {version}, which this llama.cpp build does not read (it reads versions 2 and 3); convert the model with a llama.cpp release matching this library, or update LLamaSharp");
        }

        throw new Llama4ModelValidationException(Llama4ModelProblem.UnsupportedGgufVersion, path, $"The model file '{path}' is {detail}.");
    }

    private static uint ReadAlignment(Dictionary<string, GgufMetadataValue> metadata, string path)
    {
        if (!metadata.TryGetValue("general.alignment", out GgufMetadataValue? value))
        {
            return DefaultAlignment;
        }

        // gguf.cpp reads the alignment with an assertion on the type: any other type aborts the process.
        if (value.Type != GgufValueType.UInt32)
        {
            throw new Llama4ModelValidationException(
                Llama4ModelProblem.InvalidMetadata,
                path,
                $"The model file '{path}' stores 'general.alignment' as {value.TypeName}, but llama.cpp requires uint32 (any other type aborts the process); re-export the model with a current GGUF writer.");
        }

        uint alignment = (uint)value.Value;
        if (alignment == 0 || (alignment & (alignment - 1)) != 0)
        {
            throw new Llama4ModelValidationException(
                Llama4ModelProblem.InvalidMetadata,
                path,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"The model file '{path}' has 'general.alignment' = {alignment}, which is not a power of two as llama.cpp requires; re-export the model (the usual value is 32)."));
        }

        // ggml's CPU buffers must start on a 32-byte boundary (TENSOR_ALIGNMENT): memory-mapped tensor data aligned
        // to less aborts the process at load ("buffer pointer must be aligned").
        if (alignment < MinimumAlignment)
        {
            throw new Llama4ModelValidationException(
                Llama4ModelProblem.InvalidMetadata,
                path,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"The model file '{path}' has 'general.alignment' = {alignment}, but llama.cpp needs tensor data aligned to at least {MinimumAlignment} bytes and aborts the process on less; re-export the model (the usual value is 32)."));
        }

        return alignment;
    }

    private static ulong Align(ulong value, uint alignment) => (value + alignment - 1) / alignment * alignment;

    private static Llama4ModelValidationException NotFound(string path, Exception? inner = null) => new(
        Llama4ModelProblem.FileNotFound,
        path,
        $"The model file '{path}' does not exist (resolved to '{System.IO.Path.GetFullPath(path)}'); pass the full path of a Llama 4 .gguf file.",
        inner);

    private static string Escape(ReadOnlySpan<byte> bytes)
    {
        var builder = new StringBuilder();
        foreach (byte b in bytes)
        {
            if (b is >= 0x20 and < 0x7F && b != (byte)'\\' && b != (byte)'\'')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\x{b:x2}");
            }
        }

        return builder.ToString();
    }

    private static string Hint(byte[] head)
    {
        string text = Encoding.ASCII.GetString(head);
        string trimmed = text.TrimStart();
        if (head.Length >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4)
        {
            return ": it is a ZIP archive (a PyTorch checkpoint or a zipped download?)";
        }

        if (text.StartsWith("version https://git-lfs", StringComparison.Ordinal))
        {
            return ": it is a Git LFS pointer, not the model itself (fetch the real file with 'git lfs pull')";
        }

        if (trimmed.StartsWith('<'))
        {
            return ": it looks like an HTML or XML page (a failed download or a login page?)";
        }

        if (head.Length >= 9 && head[8] == (byte)'{' && BitConverter.ToUInt64(head, 0) < 100_000_000)
        {
            return ": it looks like a safetensors checkpoint (convert it with llama.cpp's convert_hf_to_gguf.py)";
        }

        if (trimmed.StartsWith('{'))
        {
            return ": it looks like a JSON file";
        }

        if (text.StartsWith("tjgg", StringComparison.Ordinal) || text.StartsWith("lmgg", StringComparison.Ordinal) || text.StartsWith("fmgg", StringComparison.Ordinal))
        {
            return ": it is a pre-GGUF llama.cpp file (GGML/GGJT), which current llama.cpp cannot read (convert the original model again)";
        }

        return string.Empty;
    }
}
