using System.Runtime.InteropServices;

namespace Llama4.Core.Sessions;

/// <summary>
/// Unmanaged memory for one sequence's llama.cpp state (it can exceed what a managed array holds: gigabytes for a long
/// conversation of a large model). Filled or read by llama.cpp on the inference loop, copied to or from streams elsewhere.
/// </summary>
internal sealed unsafe class NativeStateBuffer : IDisposable
{
    private byte* _pointer;

    public NativeStateBuffer(long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        _pointer = (byte*)NativeMemory.Alloc((nuint)Math.Max(1, length));
    }

    ~NativeStateBuffer()
    {
        Free();
    }

    public long Length { get; }

    public byte* Pointer => _pointer != null ? _pointer : throw new ObjectDisposedException(nameof(NativeStateBuffer));

    /// <summary>Opens a stream over the buffer.</summary>
    public UnmanagedMemoryStream Open(FileAccess access) => new(Pointer, Length, Length, access);

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        if (_pointer != null)
        {
            NativeMemory.Free(_pointer);
            _pointer = null;
        }
    }
}
