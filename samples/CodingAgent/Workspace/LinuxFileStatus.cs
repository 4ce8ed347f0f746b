using System.Runtime.InteropServices;

namespace CodingAgent.Workspace;

/// <summary>
/// Linux <c>struct statx</c> (the same layout on every architecture, 256 bytes); only the fields the sandbox reads are
/// named.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
internal struct LinuxFileStatus
{
    private const ushort TypeMask = 0xF000;
    private const ushort RegularType = 0x8000;
    private const ushort DirectoryType = 0x4000;
    private const ushort LinkType = 0xA000;

    /// <summary>The number of hard links.</summary>
    [FieldOffset(16)]
    public uint LinkCount;

    /// <summary>The file type and permission bits.</summary>
    [FieldOffset(28)]
    public ushort Mode;

    /// <summary>The inode number.</summary>
    [FieldOffset(32)]
    public ulong Inode;

    /// <summary>The size in bytes.</summary>
    [FieldOffset(40)]
    public ulong Size;

    /// <summary>The major number of the device the file is on.</summary>
    [FieldOffset(136)]
    public uint DeviceMajor;

    /// <summary>The minor number of the device the file is on.</summary>
    [FieldOffset(140)]
    public uint DeviceMinor;

    /// <summary>Gets whether it is a regular file.</summary>
    public readonly bool IsRegularFile => (Mode & TypeMask) == RegularType;

    /// <summary>Gets whether it is a directory.</summary>
    public readonly bool IsDirectory => (Mode & TypeMask) == DirectoryType;

    /// <summary>Gets whether it is a symbolic link.</summary>
    public readonly bool IsSymbolicLink => (Mode & TypeMask) == LinkType;

    /// <summary>Gets what it is, in words, for refusals: "a FIFO", "a socket"...</summary>
    public readonly string TypeName => (Mode & TypeMask) switch
    {
        RegularType => "a regular file",
        DirectoryType => "a directory",
        LinkType => "a symbolic link",
        0x1000 => "a FIFO (named pipe)",
        0xC000 => "a socket",
        0x2000 => "a character device",
        0x6000 => "a block device",
        _ => "a special file",
    };

    /// <summary>Gets the identity of the file: device and inode.</summary>
    public readonly (uint Major, uint Minor, ulong Inode) Identity => (DeviceMajor, DeviceMinor, Inode);
}
