namespace CodingAgent.Workspace;

/// <summary>
/// The only way the agent's tools turn a path into a file-system location. A path is accepted when it is relative to the
/// workspace root, uses <c>/</c> (or <c>\</c>) between names, has no <c>..</c> segment, no control characters (NUL
/// included) or <c>" * : &lt; &gt; ? |</c>, no Windows device names, no name ending in a dot or a space, is at most
/// <see cref="MaxPathLength"/> characters with names of at most <see cref="MaxSegmentLength"/>, and every existing
/// component that is a symbolic link or junction resolves (through the whole chain) to a location inside the root.
/// Everything else throws <see cref="WorkspaceAccessException"/> with the reason and the rule.
/// </summary>
/// <remarks>
/// The checks run when a tool resolves a path; a process that swaps a directory for a link between the check and the
/// use (a race) is outside what an in-process check can stop: run the agent as a user that can only write the workspace.
/// </remarks>
internal sealed class WorkspaceSandbox
{
    /// <summary>The longest relative path accepted, in characters.</summary>
    public const int MaxPathLength = 260;

    /// <summary>The longest file or directory name accepted, in characters.</summary>
    public const int MaxSegmentLength = 128;

    private const string Rule =
        "Use a path relative to the workspace root, such as 'src/Calculator.cs' or '.', without '..'.";

    private static readonly char[] ForbiddenCharacters = ['"', '*', ':', '<', '>', '?', '|'];

    private static readonly HashSet<string> DeviceNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL",
        "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    private readonly StringComparison _comparison =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>Creates a sandbox over an existing directory.</summary>
    /// <param name="root">The workspace directory; a link to a directory is resolved to its target once, here.</param>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    public WorkspaceSandbox(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"The workspace directory '{full}' does not exist; create it or pass an existing directory with --workspace.");
        }

        Root = Path.TrimEndingDirectorySeparator(RealPath(full));
    }

    /// <summary>Gets the full, link-free path of the workspace root.</summary>
    public string Root { get; }

    /// <summary>
    /// Resolves a workspace-relative path to a full path inside the root, or refuses it.
    /// </summary>
    /// <param name="relativePath">The path as the model wrote it; empty or <c>.</c> means the root.</param>
    /// <returns>The full path (it need not exist).</returns>
    /// <exception cref="WorkspaceAccessException">The path is not allowed; the message says why.</exception>
    public string Resolve(string? relativePath)
    {
        var path = relativePath ?? string.Empty;
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

        var current = Root;
        foreach (var segment in segments)
        {
            current = Path.Combine(current, segment);
            current = CheckLink(path, current);
        }

        if (!IsInsideRoot(current))
        {
            throw Refuse(path, "it resolves outside the workspace");
        }

        return current;
    }

    /// <summary>Gets the workspace-relative form of a full path inside the root, with <c>/</c> separators.</summary>
    /// <param name="fullPath">A path returned by <see cref="Resolve"/> or found under it.</param>
    /// <returns>The relative path; <c>.</c> for the root.</returns>
    public string ToRelative(string fullPath)
    {
        var relative = Path.GetRelativePath(Root, fullPath);
        return relative.Replace('\\', '/');
    }

    /// <summary>Gets whether a full, link-free path is the root or below it.</summary>
    /// <param name="fullPath">The path.</param>
    /// <returns><see langword="true"/> when it is inside.</returns>
    public bool IsInsideRoot(string fullPath)
    {
        ArgumentNullException.ThrowIfNull(fullPath);
        var trimmed = Path.TrimEndingDirectorySeparator(fullPath);
        return string.Equals(trimmed, Root, _comparison)
            || trimmed.StartsWith(Root + Path.DirectorySeparatorChar, _comparison);
    }

    private string CheckLink(string requested, string component)
    {
        // A missing component is not a link (a dangling link is: LinkTarget reads the link itself).
        FileSystemInfo info = Directory.Exists(component) ? new DirectoryInfo(component) : new FileInfo(component);
        if (info.LinkTarget is null)
        {
            return component;
        }

        FileSystemInfo? target;
        try
        {
            target = info.ResolveLinkTarget(returnFinalTarget: true);
        }
        catch (IOException ex)
        {
            throw new WorkspaceAccessException(
                $"Refused '{requested}': the link '{ToRelative(component)}' cannot be resolved ({ex.Message}). {Rule}",
                ex);
        }

        var resolved = target is null ? null : RealPath(Path.GetFullPath(target.FullName));
        if (resolved is null || !IsInsideRoot(resolved))
        {
            throw Refuse(requested, $"'{ToRelative(component)}' is a symbolic link or junction that points outside the workspace");
        }

        return resolved;
    }

    // The real location of a path: every existing link component replaced by its final target.
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

    private static WorkspaceAccessException Refuse(string path, string reason) =>
        new($"Refused '{Shorten(path)}': {reason}. {Rule}");

    private static string Shorten(string text)
    {
        var shown = text.Length > 60 ? text[..60] + "..." : text;
        return string.Concat(shown.Select(c => char.IsControl(c) ? "\\u" + ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture) : c.ToString()));
    }
}
