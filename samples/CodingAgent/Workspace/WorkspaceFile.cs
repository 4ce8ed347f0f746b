using Microsoft.Win32.SafeHandles;

namespace CodingAgent.Workspace;

/// <summary>
/// A regular file of the workspace opened by <see cref="WorkspaceSandbox.OpenFile"/>: everything read or written goes
/// through the handle that was checked (a regular file with one link, reached without following any link), so swapping
/// the path afterwards cannot redirect it.
/// </summary>
internal sealed class WorkspaceFile : IDisposable
{
    private readonly SafeFileHandle _handle;

    /// <summary>Wraps an opened and checked handle.</summary>
    /// <param name="handle">The handle; this object owns it.</param>
    /// <param name="relativePath">The path from the workspace root.</param>
    /// <param name="length">The size when it was checked, in bytes.</param>
    /// <param name="created">Whether the open created the file.</param>
    public WorkspaceFile(SafeFileHandle handle, string relativePath, long length, bool created)
    {
        _handle = handle;
        RelativePath = relativePath;
        Length = length;
        Created = created;
    }

    /// <summary>Gets the path from the workspace root, with <c>/</c> separators.</summary>
    public string RelativePath { get; }

    /// <summary>Gets the size of the file when it was opened, in bytes.</summary>
    public long Length { get; }

    /// <summary>Gets whether opening created the file.</summary>
    public bool Created { get; }

    /// <summary>Reads the file from its start.</summary>
    /// <param name="maxBytes">The most bytes to read; a file that grew past it since it was opened is cut there.</param>
    /// <returns>The bytes.</returns>
    public byte[] ReadAll(int maxBytes)
    {
        var buffer = new byte[(int)Math.Min(Length, maxBytes)];
        var total = 0;
        while (total < buffer.Length)
        {
            var read = RandomAccess.Read(_handle, buffer.AsSpan(total), total);
            if (read == 0)
            {
                return buffer[..total];
            }

            total += read;
        }

        return buffer;
    }

    /// <summary>Replaces the whole content of the file.</summary>
    /// <param name="content">The new content.</param>
    public void Replace(ReadOnlySpan<byte> content)
    {
        RandomAccess.Write(_handle, content, 0);
        RandomAccess.SetLength(_handle, content.Length);
    }

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();
}
