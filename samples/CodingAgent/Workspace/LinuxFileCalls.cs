using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace CodingAgent.Workspace;

/// <summary>
/// The Linux system calls the sandbox opens files with (through the C library), and their flag values. Flags whose
/// value differs between architectures (<c>O_DIRECTORY</c>, <c>O_NOFOLLOW</c>) are chosen for the running one; only
/// 64-bit x86 and ARM are supported (their <c>struct dirent</c> is the same), elsewhere <see cref="IsSupported"/> says why not.
/// </summary>
internal static partial class LinuxFileCalls
{
    /// <summary>Open for reading.</summary>
    public const int ReadOnly = 0;

    /// <summary>Open for writing.</summary>
    public const int WriteOnly = 1;

    /// <summary>Open for reading and writing.</summary>
    public const int ReadWrite = 2;

    /// <summary>Create the file when it does not exist.</summary>
    public const int Create = 0x40;

    /// <summary>With <see cref="Create"/>: fail when the name exists (a link at the name included).</summary>
    public const int Exclusive = 0x80;

    /// <summary>Never make a terminal the controlling terminal.</summary>
    public const int NoControllingTerminal = 0x100;

    /// <summary>Do not block on open (a FIFO with no writer opens at once; with no reader a write-open fails).</summary>
    public const int NonBlocking = 0x800;

    /// <summary>Close the descriptor in child processes.</summary>
    public const int CloseOnExec = 0x80000;

    /// <summary>With an empty name, examine the descriptor itself (<c>AT_EMPTY_PATH</c>).</summary>
    public const int EmptyPath = 0x1000;

    /// <summary>Do not follow a link at the last component (for <c>statx</c>).</summary>
    public const int SymlinkNoFollow = 0x100;

    /// <summary>The <c>statx</c> fields the sandbox reads: type, mode, link count, inode, size.</summary>
    public const uint StatxBasicStats = 0x7ff;

    /// <summary>No such file or directory.</summary>
    public const int ENOENT = 2;

    /// <summary>No such device or address (a FIFO without reader opened for writing, a socket).</summary>
    public const int ENXIO = 6;

    /// <summary>Permission denied.</summary>
    public const int EACCES = 13;

    /// <summary>The name exists.</summary>
    public const int EEXIST = 17;

    /// <summary>A component is not a directory.</summary>
    public const int ENOTDIR = 20;

    /// <summary>The name is a directory.</summary>
    public const int EISDIR = 21;

    /// <summary>Too many links, or a link where <c>O_NOFOLLOW</c> forbids one.</summary>
    public const int ELOOP = 40;

    /// <summary>Gets the flag that makes <c>openat</c> fail unless the name is a directory.</summary>
    public static int Directory { get; } = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 0x4000 : 0x10000;

    /// <summary>Gets the flag that makes <c>openat</c> fail with <see cref="ELOOP"/> when the last component is a link.</summary>
    public static int NoFollow { get; } = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 0x8000 : 0x20000;

    /// <summary>Gets whether the calls can be used in this process, and why not when they cannot.</summary>
    /// <param name="reason">Why the calls are unavailable; <see langword="null"/> when they are available.</param>
    /// <returns><see langword="true"/> on 64-bit x86 or ARM Linux with a C library that has <c>statx</c>.</returns>
    public static bool IsSupported(out string? reason)
    {
        if (!OperatingSystem.IsLinux())
        {
            reason = $"this system is {RuntimeInformation.OSDescription}, and the sandbox opens files without following links only on Linux";
            return false;
        }

        if (RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.Arm64))
        {
            reason = $"the process architecture is {RuntimeInformation.ProcessArchitecture}; the sandbox supports x64 and arm64";
            return false;
        }

        try
        {
            // The root of the file system always exists: this only proves that the C library has statx.
            _ = Statx(-100, "/", 0, StatxBasicStats, out _);
        }
        catch (EntryPointNotFoundException)
        {
            reason = "the C library has no statx (glibc 2.28 or later is needed)";
            return false;
        }

        reason = null;
        return true;
    }

    /// <summary>Opens a name relative to a directory descriptor.</summary>
    /// <returns>The new descriptor, or -1 with the error in <see cref="Marshal.GetLastPInvokeError"/>.</returns>
    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int OpenAt(SafeFileHandle directory, string name, int flags, uint mode);

    /// <summary>Opens a path (the workspace root).</summary>
    /// <returns>The new descriptor, or -1 with the error in <see cref="Marshal.GetLastPInvokeError"/>.</returns>
    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags, uint mode);

    /// <summary>Creates a directory relative to a directory descriptor.</summary>
    /// <returns>0, or -1 with the error in <see cref="Marshal.GetLastPInvokeError"/>.</returns>
    [LibraryImport("libc", EntryPoint = "mkdirat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MakeDirectoryAt(SafeFileHandle directory, string name, uint mode);

    /// <summary>Reads the status of a name relative to a directory descriptor, or of the descriptor itself (empty name and <see cref="EmptyPath"/>).</summary>
    /// <returns>0, or -1 with the error in <see cref="Marshal.GetLastPInvokeError"/>.</returns>
    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Statx(SafeFileHandle directory, string name, int flags, uint mask, out LinuxFileStatus status);

    /// <summary>The same with a raw descriptor (used once, to probe for the function).</summary>
    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Statx(int directory, string name, int flags, uint mask, out LinuxFileStatus status);

    /// <summary>Duplicates a descriptor (so <see cref="OpenDirectoryStream"/> can own its copy).</summary>
    /// <returns>The new descriptor, or -1.</returns>
    [LibraryImport("libc", EntryPoint = "dup", SetLastError = true)]
    public static partial int Duplicate(SafeFileHandle descriptor);

    /// <summary>Opens a directory stream over a descriptor, which the stream then owns.</summary>
    /// <returns>The stream, or zero.</returns>
    [LibraryImport("libc", EntryPoint = "fdopendir", SetLastError = true)]
    public static partial IntPtr OpenDirectoryStream(int descriptor);

    /// <summary>Reads the next entry of a directory stream (a 64-bit <c>struct dirent</c>).</summary>
    /// <returns>The entry, or zero at the end.</returns>
    [LibraryImport("libc", EntryPoint = "readdir", SetLastError = true)]
    public static partial IntPtr ReadDirectory(IntPtr stream);

    /// <summary>Closes a directory stream and its descriptor.</summary>
    /// <returns>0, or -1.</returns>
    [LibraryImport("libc", EntryPoint = "closedir", SetLastError = true)]
    public static partial int CloseDirectoryStream(IntPtr stream);

    /// <summary>Closes a descriptor that no handle owns yet.</summary>
    /// <returns>0, or -1.</returns>
    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int descriptor);
}
