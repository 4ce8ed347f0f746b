using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace CodingAgent.Workspace;

/// <summary>
/// The only way the agent's tools reach the file system. A path is accepted when it is relative to the workspace root,
/// uses <c>/</c> (or <c>\</c>) between names, has no <c>..</c> segment, no control characters (NUL included) or
/// <c>" * : &lt; &gt; ? |</c>, no Windows device names, no name ending in a dot or a space, and is at most
/// <see cref="MaxPathLength"/> characters with names of at most <see cref="MaxSegmentLength"/>. Files and directories
/// are then opened one component at a time from a handle on the root (<c>openat</c> with <c>O_NOFOLLOW</c>), so a
/// symbolic link at any component is refused, never followed; the opened file itself is checked through its handle
/// (<c>statx</c>): only a regular file with a single link is read or written, never a FIFO, socket, device or a hard
/// link that could be shared with a file outside. Everything read or written goes through that handle, so swapping a
/// path for a link after the check cannot redirect it. Refusals throw <see cref="WorkspaceAccessException"/> with the
/// reason and the rule.
/// </summary>
/// <remarks>
/// This needs Linux (x64 or arm64): other systems have no portable way, in .NET 10, to open a file without following
/// links, to read its link count or to open a FIFO without blocking, so there the constructor refuses the workspace
/// (<see cref="PlatformNotSupportedException"/>) rather than check less.
/// </remarks>
internal sealed class WorkspaceSandbox
{
    /// <summary>The longest relative path accepted, in characters.</summary>
    public const int MaxPathLength = 260;

    /// <summary>The longest file or directory name accepted, in characters.</summary>
    public const int MaxSegmentLength = 128;

    private const string Rule =
        "Use a path relative to the workspace root, such as 'src/Calculator.cs' or '.', without '..'.";

    // Offset of d_name in the 64-bit struct dirent of glibc and musl (d_ino 8, d_off 8, d_reclen 2, d_type 1).
    private const int DirectoryEntryNameOffset = 19;

    private static readonly char[] ForbiddenCharacters = ['"', '*', ':', '<', '>', '?', '|'];

    private static readonly HashSet<string> DeviceNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL",
        "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    private readonly (uint Major, uint Minor, ulong Inode) _rootIdentity;

    /// <summary>Creates a sandbox over an existing directory.</summary>
    /// <param name="root">The workspace directory; a link to a directory is resolved to its target once, here.</param>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="PlatformNotSupportedException">Not Linux on x64 or arm64: the message says why.</exception>
    public WorkspaceSandbox(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"The workspace directory '{full}' does not exist; create it or pass an existing directory with --workspace.");
        }

        if (!LinuxFileCalls.IsSupported(out var reason))
        {
            throw new PlatformNotSupportedException(
                $"The workspace sandbox cannot run here: {reason}. Run the coding agent on Linux (a container or WSL will do).");
        }

        Root = Path.TrimEndingDirectorySeparator(RealPath(full));
        using var handle = OpenRootHandle(Root);
        _rootIdentity = Status(handle, ".").Identity;
    }

    /// <summary>Gets the full, link-free path of the workspace root.</summary>
    public string Root { get; }

    /// <summary>Checks the text of a workspace-relative path and returns its canonical form (it need not exist).</summary>
    /// <param name="relativePath">The path as the model wrote it.</param>
    /// <returns>The path with <c>/</c> separators, no <c>.</c> segments; <c>.</c> for the root.</returns>
    /// <exception cref="WorkspaceAccessException">The path is not allowed.</exception>
    public static string Normalize(string? relativePath)
    {
        var segments = Segments(relativePath ?? string.Empty);
        return Join(segments, segments.Count);
    }

    /// <summary>
    /// Opens a regular file of the workspace without following links on any component, and checks what was opened: a
    /// regular file with one link. A FIFO is opened without blocking and refused; sockets and devices are refused
    /// before they are opened.
    /// </summary>
    /// <param name="relativePath">The file, relative to the workspace root.</param>
    /// <param name="mode">Read, read and replace, or create or replace (creating missing directories).</param>
    /// <returns>The opened file; dispose it.</returns>
    /// <exception cref="WorkspaceAccessException">A link on the path, a special file, a hard-linked file, or a bad path.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist (read modes).</exception>
    /// <exception cref="DirectoryNotFoundException">A directory on the path does not exist (read modes) or is a file.</exception>
    /// <exception cref="IOException">The path names a directory, or the system refused the open.</exception>
    public WorkspaceFile OpenFile(string? relativePath, WorkspaceFileMode mode)
    {
        var requested = relativePath ?? string.Empty;
        var segments = Segments(requested);
        if (segments.Count == 0)
        {
            throw new IOException($"'{Shorten(requested)}' is the workspace root, a directory; give a file path.");
        }

        var relative = Join(segments, segments.Count);
        var name = segments[^1];
        using var directory = OpenDirectories(requested, segments, segments.Count - 1, create: mode == WorkspaceFileMode.CreateOrReplace);

        // Look before opening, without following a link: a device or socket is never opened (opening one can have
        // effects). What is opened is checked again below, through its handle, so a swap after this look changes nothing.
        if (LinuxFileCalls.Statx(directory, name, LinuxFileCalls.SymlinkNoFollow, LinuxFileCalls.StatxBasicStats, out var seen) == 0)
        {
            CheckEntry(requested, relative, seen);
        }

        var flags = LinuxFileCalls.NoFollow | LinuxFileCalls.NonBlocking | LinuxFileCalls.CloseOnExec | LinuxFileCalls.NoControllingTerminal | mode switch
        {
            WorkspaceFileMode.Read => LinuxFileCalls.ReadOnly,
            WorkspaceFileMode.ReadWrite => LinuxFileCalls.ReadWrite,
            _ => LinuxFileCalls.WriteOnly,
        };
        var created = false;
        int descriptor;
        if (mode == WorkspaceFileMode.CreateOrReplace)
        {
            // O_EXCL never follows a link and tells whether this call created the file; an existing name is opened next.
            descriptor = LinuxFileCalls.OpenAt(directory, name, flags | LinuxFileCalls.Create | LinuxFileCalls.Exclusive, 0b110_110_110);
            created = descriptor >= 0;
            if (descriptor < 0 && Marshal.GetLastPInvokeError() == LinuxFileCalls.EEXIST)
            {
                descriptor = LinuxFileCalls.OpenAt(directory, name, flags, 0);
            }
        }
        else
        {
            descriptor = LinuxFileCalls.OpenAt(directory, name, flags, 0);
        }

        if (descriptor < 0)
        {
            throw OpenFailure(directory, requested, relative, name, Marshal.GetLastPInvokeError(), expectDirectory: false);
        }

        var handle = new SafeFileHandle(descriptor, ownsHandle: true);
        try
        {
            var status = Status(handle, relative);
            CheckEntry(requested, relative, status);
            if (status.LinkCount > 1)
            {
                throw Refuse(requested, $"'{relative}' has {status.LinkCount} hard links, and a file with more than one may be shared with a file outside the workspace, so it is not opened");
            }

            return new WorkspaceFile(handle, relative, (long)status.Size, created);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Lists the entries of a workspace directory (opened without following links), sorted by name.</summary>
    /// <param name="relativePath">The directory, relative to the workspace root; empty or <c>.</c> for the root.</param>
    /// <returns>The entries; links and special files are reported with their kind, never followed or opened.</returns>
    /// <exception cref="WorkspaceAccessException">A link on the path, or a bad path.</exception>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist, or is not a directory.</exception>
    public IReadOnlyList<WorkspaceEntry> ListDirectory(string? relativePath)
    {
        var requested = relativePath ?? string.Empty;
        var segments = Segments(requested);
        var prefix = segments.Count == 0 ? string.Empty : Join(segments, segments.Count) + "/";
        using var directory = OpenDirectories(requested, segments, segments.Count, create: false);
        var copy = LinuxFileCalls.Duplicate(directory);
        if (copy < 0)
        {
            throw new IOException($"The directory '{Join(segments, segments.Count)}' could not be read: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}.");
        }

        var stream = LinuxFileCalls.OpenDirectoryStream(copy);
        if (stream == IntPtr.Zero)
        {
            var error = Marshal.GetLastPInvokeError();
            _ = LinuxFileCalls.Close(copy);
            throw new IOException($"The directory '{Join(segments, segments.Count)}' could not be read: {Marshal.GetPInvokeErrorMessage(error)}.");
        }

        var entries = new List<WorkspaceEntry>();
        try
        {
            IntPtr entry;
            while ((entry = LinuxFileCalls.ReadDirectory(stream)) != IntPtr.Zero)
            {
                var name = Marshal.PtrToStringUTF8(entry + DirectoryEntryNameOffset);
                if (name is null or "." or "..")
                {
                    continue;
                }

                // An entry removed since the directory was read is left out.
                if (LinuxFileCalls.Statx(directory, name, LinuxFileCalls.SymlinkNoFollow, LinuxFileCalls.StatxBasicStats, out var status) == 0)
                {
                    var kind = status.IsSymbolicLink ? WorkspaceEntryKind.Link
                        : status.IsDirectory ? WorkspaceEntryKind.Directory
                        : status.IsRegularFile ? WorkspaceEntryKind.File
                        : WorkspaceEntryKind.Special;
                    entries.Add(new WorkspaceEntry(prefix + name, kind));
                }
            }
        }
        finally
        {
            _ = LinuxFileCalls.CloseDirectoryStream(stream);
        }

        entries.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        return entries;
    }

    // The checked names of a path; throws the refusal for anything the text rules forbid.
    private static List<string> Segments(string path)
    {
        if (path.Length > MaxPathLength)
        {
            throw Refuse(Shorten(path), $"it is {path.Length} characters long and at most {MaxPathLength} are allowed");
        }

        foreach (var c in path)
        {
            if (char.IsControl(c))
            {
                throw Refuse(path, c == '\0' ? "it contains a NUL character" : $"it contains the control character U+{(int)c:X4}");
            }

            if (Array.IndexOf(ForbiddenCharacters, c) >= 0)
            {
                throw Refuse(path, $"it contains '{c}', which is not allowed in workspace paths (no drive letters, streams or wildcards)");
            }
        }

        var normalized = path.Replace('\\', '/');
        if (normalized.StartsWith("//", StringComparison.Ordinal))
        {
            throw Refuse(path, "it is a network (UNC) path");
        }

        if (normalized.StartsWith('/') || Path.IsPathRooted(path))
        {
            throw Refuse(path, "it is an absolute path");
        }

        if (normalized.StartsWith('~'))
        {
            throw Refuse(path, "it starts with '~', a home directory outside the workspace");
        }

        var segments = new List<string>();
        foreach (var segment in normalized.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                throw Refuse(path, "it contains a '..' segment, which could leave the workspace");
            }

            if (segment.Length > MaxSegmentLength)
            {
                throw Refuse(path, $"the name '{Shorten(segment)}' is {segment.Length} characters long and at most {MaxSegmentLength} are allowed");
            }

            if (segment.EndsWith('.') || segment.EndsWith(' '))
            {
                throw Refuse(path, $"the name '{segment}' ends with a dot or a space, which Windows silently drops");
            }

            if (DeviceNames.Contains(segment.Split('.')[0]))
            {
                throw Refuse(path, $"the name '{segment}' is a Windows device name");
            }

            segments.Add(segment);
        }

        return segments;
    }

    private static string Join(List<string> segments, int count) => count == 0 ? "." : string.Join('/', segments.Take(count));

    // Opens the first `count` components as directories, one at a time, never following a link.
    private SafeFileHandle OpenDirectories(string requested, List<string> segments, int count, bool create)
    {
        var current = OpenRoot(requested);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var next = OpenDirectory(current, requested, segments, i, create);
                current.Dispose();
                current = next;
            }

            return current;
        }
        catch
        {
            current.Dispose();
            throw;
        }
    }

    private static SafeFileHandle OpenDirectory(SafeFileHandle parent, string requested, List<string> segments, int index, bool create)
    {
        const int Flags = LinuxFileCalls.ReadOnly | LinuxFileCalls.CloseOnExec | LinuxFileCalls.NonBlocking;
        var name = segments[index];
        var flags = Flags | LinuxFileCalls.Directory | LinuxFileCalls.NoFollow;
        var descriptor = LinuxFileCalls.OpenAt(parent, name, flags, 0);
        var error = descriptor < 0 ? Marshal.GetLastPInvokeError() : 0;
        if (descriptor < 0 && error == LinuxFileCalls.ENOENT && create)
        {
            if (LinuxFileCalls.MakeDirectoryAt(parent, name, 0b111_111_111) == 0 || Marshal.GetLastPInvokeError() == LinuxFileCalls.EEXIST)
            {
                descriptor = LinuxFileCalls.OpenAt(parent, name, flags, 0);
                error = descriptor < 0 ? Marshal.GetLastPInvokeError() : 0;
            }
            else
            {
                error = Marshal.GetLastPInvokeError();
            }
        }

        if (descriptor < 0)
        {
            throw OpenFailure(parent, requested, Join(segments, index + 1), name, error, expectDirectory: true);
        }

        return new SafeFileHandle(descriptor, ownsHandle: true);
    }

    private SafeFileHandle OpenRoot(string requested)
    {
        var handle = OpenRootHandle(Root);
        try
        {
            if (Status(handle, ".").Identity != _rootIdentity)
            {
                throw Refuse(requested, $"the workspace root '{Root}' was replaced since the agent started");
            }

            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static SafeFileHandle OpenRootHandle(string root)
    {
        var descriptor = LinuxFileCalls.Open(root, LinuxFileCalls.ReadOnly | LinuxFileCalls.Directory | LinuxFileCalls.NoFollow | LinuxFileCalls.CloseOnExec, 0);
        if (descriptor < 0)
        {
            throw new IOException($"The workspace root '{root}' could not be opened: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}.");
        }

        return new SafeFileHandle(descriptor, ownsHandle: true);
    }

    private static LinuxFileStatus Status(SafeFileHandle handle, string relative)
    {
        if (LinuxFileCalls.Statx(handle, string.Empty, LinuxFileCalls.EmptyPath, LinuxFileCalls.StatxBasicStats, out var status) != 0)
        {
            throw new IOException($"'{relative}' could not be examined: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}.");
        }

        return status;
    }

    // A link or special file is refused; a directory where a file is wanted is an ordinary error.
    private static void CheckEntry(string requested, string relative, LinuxFileStatus status)
    {
        if (status.IsSymbolicLink)
        {
            throw LinkRefusal(requested, relative);
        }

        if (status.IsDirectory)
        {
            throw new IOException($"'{relative}' is a directory; give a file path.");
        }

        if (!status.IsRegularFile)
        {
            throw Refuse(requested, $"'{relative}' is {status.TypeName}, not a regular file; only regular files are read or written");
        }
    }

    // Why an openat failed, in words. The look at the entry (without following it) only chooses the message.
    private static Exception OpenFailure(SafeFileHandle parent, string requested, string relative, string name, int error, bool expectDirectory)
    {
        if (error == LinuxFileCalls.ELOOP)
        {
            return LinkRefusal(requested, relative);
        }

        if (error != LinuxFileCalls.ENOENT
            && LinuxFileCalls.Statx(parent, name, LinuxFileCalls.SymlinkNoFollow, LinuxFileCalls.StatxBasicStats, out var status) == 0)
        {
            if (status.IsSymbolicLink)
            {
                return LinkRefusal(requested, relative);
            }

            if (expectDirectory && !status.IsDirectory)
            {
                return new DirectoryNotFoundException($"'{relative}' is {status.TypeName}, not a directory.");
            }

            if (!expectDirectory && status.IsDirectory)
            {
                return new IOException($"'{relative}' is a directory; give a file path.");
            }

            if (!status.IsDirectory && !status.IsRegularFile)
            {
                return Refuse(requested, $"'{relative}' is {status.TypeName}, not a regular file; only regular files are read or written");
            }
        }

        return error switch
        {
            LinuxFileCalls.ENOENT when expectDirectory => new DirectoryNotFoundException($"The directory '{relative}' does not exist in the workspace."),
            LinuxFileCalls.ENOENT => new FileNotFoundException($"'{relative}' does not exist in the workspace."),
            LinuxFileCalls.EACCES => new UnauthorizedAccessException($"Access to '{relative}' was denied by the operating system."),
            _ => new IOException($"'{relative}' could not be opened: {Marshal.GetPInvokeErrorMessage(error)}."),
        };
    }

    // The real location of the root: every existing link component replaced by its final target (done once).
    private static string RealPath(string fullPath)
    {
        var root = Path.GetPathRoot(fullPath) ?? string.Empty;
        var current = root;
        foreach (var segment in fullPath[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, segment);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
            {
                current = RealPath(Path.GetFullPath(target.FullName));
            }
        }

        return current;
    }

    private static WorkspaceAccessException LinkRefusal(string requested, string relative) =>
        Refuse(requested, $"'{relative}' is a symbolic link, and links are never followed in the workspace");

    private static WorkspaceAccessException Refuse(string path, string reason) =>
        new($"Refused '{Shorten(path)}': {reason}. {Rule}");

    private static string Shorten(string text)
    {
        var shown = text.Length > 60 ? text[..60] + "..." : text;
        return string.Concat(shown.Select(c => char.IsControl(c) ? "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture) : c.ToString()));
    }
}
