using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CodingAgent.Agent;
using CodingAgent.Commands;
using Microsoft.Extensions.AI;

namespace CodingAgent.Workspace;

/// <summary>
/// The agent's tools over one workspace. Every file and directory is opened through <see cref="WorkspaceSandbox"/>
/// (no link followed, only single-link regular files read or written, through the handle that was checked); a refused path
/// or a failed operation comes back to the model as text that says why (so it can correct itself), never as an
/// exception. Writing, patching and running <c>dotnet</c> need the user's approval (<see cref="ApprovalRequiredAIFunction"/>).
/// </summary>
internal sealed class WorkspaceTools
{
    /// <summary>The name of the tool that lists files.</summary>
    public const string ListFilesName = "list_files";

    /// <summary>The name of the tool that reads a file.</summary>
    public const string ReadFileName = "read_file";

    /// <summary>The name of the tool that searches text.</summary>
    public const string SearchTextName = "search_text";

    /// <summary>The name of the tool that writes a file.</summary>
    public const string WriteFileName = "write_file";

    /// <summary>The name of the tool that replaces text in a file.</summary>
    public const string PatchFileName = "patch_file";

    /// <summary>The name of the tool that runs <c>dotnet build</c> or <c>dotnet test</c>.</summary>
    public const string RunDotnetName = "run_dotnet";

    /// <summary>The names of all tools, in the order <see cref="CreateFunctions"/> returns them.</summary>
    public static readonly IReadOnlyList<string> ToolNames = [ListFilesName, ReadFileName, SearchTextName, WriteFileName, PatchFileName, RunDotnetName];

    /// <summary>The most entries <c>list_files</c> returns.</summary>
    public const int MaxListedEntries = 300;

    /// <summary>The largest file the tools read or search, in bytes.</summary>
    public const int MaxFileBytes = 512 * 1024;

    /// <summary>The most characters a written file may have.</summary>
    public const int MaxWrittenCharacters = 200_000;

    /// <summary>How long one regular-expression match may take.</summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly WorkspaceSandbox _sandbox;
    private readonly WorkspaceCommandRunner _runner;

    /// <summary>Creates the tools.</summary>
    /// <param name="sandbox">Opens every file and directory.</param>
    /// <param name="runner">Runs <c>dotnet</c> in the workspace.</param>
    public WorkspaceTools(WorkspaceSandbox sandbox, WorkspaceCommandRunner runner)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        ArgumentNullException.ThrowIfNull(runner);
        _sandbox = sandbox;
        _runner = runner;
    }

    /// <summary>Gets the tools as <see cref="AIFunction"/>s; the ones that change the workspace or run programs require approval.</summary>
    /// <param name="tightenForDemoModel">
    /// Whether to give the tools the tightened schemas of <see cref="DemoArgumentSchema"/> (for the random-weight demo
    /// model): paths chosen from the workspace's current entries, short free-text arguments.
    /// </param>
    /// <returns>The tools, in a stable order.</returns>
    public IReadOnlyList<AIFunction> CreateFunctions(bool tightenForDemoModel)
    {
        IReadOnlyList<string> files = [];
        IReadOnlyList<string> directories = [];
        if (tightenForDemoModel)
        {
            files = [.. EnumerateEntries(_sandbox.ListDirectory(".")).Where(e => e.Kind == WorkspaceEntryKind.File).Select(e => e.RelativePath).Take(MaxListedEntries)];
            directories = [".", .. EnumerateEntries(_sandbox.ListDirectory(".")).Where(e => e.Kind == WorkspaceEntryKind.Directory).Select(e => e.RelativePath).Take(MaxListedEntries)];
            if (files.Count == 0)
            {
                files = ["README.md"];
            }
        }

        AIFunction Shape(AIFunction function, IReadOnlyList<string> paths) =>
            tightenForDemoModel ? new DemoArgumentSchema(function, paths) : function;

        return
        [
            Shape(AIFunctionFactory.Create(ListFiles, ListFilesName, "Lists the files and directories under a workspace directory, recursively."), directories),
            Shape(AIFunctionFactory.Create(ReadFile, ReadFileName, "Reads a text file of the workspace, or a range of its lines, with line numbers."), files),
            Shape(AIFunctionFactory.Create(SearchText, SearchTextName, "Searches the workspace's text files for a text or a regular expression; returns 'path:line: text' lines."), directories),
            new ApprovalRequiredAIFunction(Shape(AIFunctionFactory.Create(WriteFile, WriteFileName, "Creates or replaces a text file of the workspace. Needs the user's approval."), files)),
            new ApprovalRequiredAIFunction(Shape(AIFunctionFactory.Create(PatchFile, PatchFileName, "Replaces one exact occurrence of a text in a workspace file. Needs the user's approval."), files)),
            new ApprovalRequiredAIFunction(Shape(AIFunctionFactory.Create(RunDotnetAsync, RunDotnetName, "Runs 'dotnet build' or 'dotnet test' in the workspace, with a time limit. Needs the user's approval."), files)),
        ];
    }

    /// <summary>Lists a directory recursively (links are listed, not followed; special files are listed, not opened).</summary>
    /// <param name="path">The directory.</param>
    /// <returns>One relative path per line, directories ending in <c>/</c>.</returns>
    public string ListFiles([Description("Directory relative to the workspace root; '.' is the root.")] string path = ".") => Guarded(() =>
    {
        IReadOnlyList<WorkspaceEntry> top;
        try
        {
            top = _sandbox.ListDirectory(path);
        }
        catch (DirectoryNotFoundException)
        {
            return $"'{path}' is not a directory of the workspace. Call {ListFilesName} with '.' to see the root.";
        }

        var lines = new List<string>();
        var more = false;
        var pending = new Stack<IReadOnlyList<WorkspaceEntry>>();
        pending.Push(top);
        while (pending.Count > 0 && !more)
        {
            foreach (var entry in pending.Pop())
            {
                if (lines.Count == MaxListedEntries)
                {
                    more = true;
                    break;
                }

                switch (entry.Kind)
                {
                    case WorkspaceEntryKind.Link:
                        lines.Add(entry.RelativePath + " (link, not followed)");
                        break;
                    case WorkspaceEntryKind.Special:
                        lines.Add(entry.RelativePath + " (special file, not opened)");
                        break;
                    case WorkspaceEntryKind.Directory:
                        lines.Add(entry.RelativePath + "/");
                        pending.Push(ListOrEmpty(entry.RelativePath));
                        break;
                    default:
                        lines.Add(entry.RelativePath);
                        break;
                }
            }
        }

        if (lines.Count == 0)
        {
            return $"'{path}' is empty.";
        }

        lines.Sort(StringComparer.Ordinal);
        if (more)
        {
            lines.Add($"[listing stopped at {MaxListedEntries} entries; list a subdirectory to see more]");
        }

        return string.Join('\n', lines);
    });

    /// <summary>Reads a file, or a range of its lines, numbered from 1.</summary>
    /// <param name="path">The file.</param>
    /// <param name="firstLine">The first line to return; all lines when unset.</param>
    /// <param name="lastLine">The last line to return; to the end when unset.</param>
    /// <returns>The numbered lines.</returns>
    public string ReadFile(
        [Description("File path relative to the workspace root.")] string path,
        [Description("First line to return (1-based); omit to start at line 1."), Range(1, 1_000_000)] int? firstLine = null,
        [Description("Last line to return (inclusive); omit to read to the end."), Range(1, 1_000_000)] int? lastLine = null) => Guarded(() =>
    {
        if (ReadText(path, WorkspaceFileMode.Read, out var file, out var content) is { } problem)
        {
            return problem;
        }

        using (file)
        {
            var lines = SplitLines(content);
            var first = firstLine ?? 1;
            var last = Math.Min(lastLine ?? lines.Count, lines.Count);
            if (first > last)
            {
                return lines.Count == 0
                    ? $"'{path}' is empty."
                    : $"'{path}' has {lines.Count} lines; ask for a range within 1-{lines.Count} with firstLine <= lastLine.";
            }

            var text = new StringBuilder($"{file.RelativePath} (lines {first}-{last} of {lines.Count}):\n");
            for (var i = first; i <= last; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $"{i,5}| {lines[i - 1]}\n");
            }

            return text.ToString();
        }
    });

    /// <summary>Searches text files under a directory.</summary>
    /// <param name="query">The text, or the regular expression when <paramref name="regex"/> is set.</param>
    /// <param name="regex">Whether the query is a .NET regular expression.</param>
    /// <param name="path">The directory (or file) to search.</param>
    /// <param name="maxMatches">The most matches to return.</param>
    /// <returns>One <c>path:line: text</c> line per match, and a note when the limit was reached.</returns>
    public string SearchText(
        [Description("Text to find (case-insensitive), or a .NET regular expression when regex is true.")] string query,
        [Description("Whether query is a regular expression.")] bool regex = false,
        [Description("Directory or file to search, relative to the workspace root; '.' is everything.")] string path = ".",
        [Description("Most matches to return."), Range(1, 200)] int maxMatches = 50) => Guarded(() =>
    {
        if (string.IsNullOrEmpty(query))
        {
            return "The query is empty; give a text or a regular expression to search for.";
        }

        Regex matcher;
        try
        {
            matcher = new Regex(regex ? query : Regex.Escape(query), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexTimeout);
        }
        catch (ArgumentException ex)
        {
            return $"'{query}' is not a valid regular expression ({ex.Message}); fix it or search with regex = false.";
        }

        IEnumerable<string> files;
        try
        {
            files = EnumerateEntries(_sandbox.ListDirectory(path)).Where(e => e.Kind == WorkspaceEntryKind.File).Select(e => e.RelativePath);
        }
        catch (DirectoryNotFoundException)
        {
            // Not a directory: a single file, or nothing.
            files = [WorkspaceSandbox.Normalize(path)];
        }

        var limit = Math.Clamp(maxMatches, 1, 200);
        var matches = new List<string>();
        foreach (var relative in files)
        {
            string content;
            try
            {
                if (ReadText(relative, WorkspaceFileMode.Read, out var file, out content) is not null)
                {
                    continue;
                }

                file.Dispose();
            }
            catch (Exception ex) when (ex is WorkspaceAccessException or IOException or UnauthorizedAccessException)
            {
                // Links, special and hard-linked files, and files that vanished are not searched.
                continue;
            }

            var number = 0;
            foreach (var line in SplitLines(content))
            {
                number++;
                bool found;
                try
                {
                    found = matcher.IsMatch(line);
                }
                catch (RegexMatchTimeoutException)
                {
                    matches.Add($"[the regular expression took longer than {RegexTimeout.TotalSeconds:0} s on {relative}:{number} and the search stopped; simplify it]");
                    return string.Join('\n', matches);
                }

                if (found)
                {
                    if (matches.Count == limit)
                    {
                        matches.Add($"[stopped at {limit} matches; narrow the query or the path to see the rest]");
                        return string.Join('\n', matches);
                    }

                    matches.Add($"{relative}:{number}: {line.Trim()}");
                }
            }
        }

        return matches.Count == 0 ? $"No match for '{query}' under '{path}'." : string.Join('\n', matches);
    });

    /// <summary>Creates or replaces a file (its directories are created).</summary>
    /// <param name="path">The file.</param>
    /// <param name="content">The whole new content.</param>
    /// <returns>What was written.</returns>
    public string WriteFile(
        [Description("File path relative to the workspace root.")] string path,
        [Description("The complete new content of the file.")] string content) => Guarded(() =>
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.Length > MaxWrittenCharacters)
        {
            return $"The content has {content.Length} characters; at most {MaxWrittenCharacters} are written in one call.";
        }

        using var file = _sandbox.OpenFile(path, WorkspaceFileMode.CreateOrReplace);
        file.Replace(Utf8.GetBytes(content));
        return $"{(file.Created ? "Created" : "Replaced")} {file.RelativePath} ({content.Length} characters).";
    });

    /// <summary>Replaces exactly one occurrence of a text in a file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="oldText">The text to replace; it must occur exactly once.</param>
    /// <param name="newText">The replacement.</param>
    /// <returns>What changed, or why nothing did.</returns>
    public string PatchFile(
        [Description("File path relative to the workspace root.")] string path,
        [Description("The exact text to replace; it must occur exactly once in the file.")] string oldText,
        [Description("The text to put in its place.")] string newText) => Guarded(() =>
    {
        ArgumentNullException.ThrowIfNull(newText);
        if (string.IsNullOrEmpty(oldText))
        {
            return "oldText is empty; give the exact text to replace (read the file first).";
        }

        // One handle for the read and the write: the file patched is the file read.
        if (ReadText(path, WorkspaceFileMode.ReadWrite, out var file, out var text) is { } problem)
        {
            return problem;
        }

        using (file)
        {
            var index = text.IndexOf(oldText, StringComparison.Ordinal);
            if (index < 0)
            {
                return $"oldText does not occur in '{path}'; read the file and copy the text exactly.";
            }

            if (text.IndexOf(oldText, index + 1, StringComparison.Ordinal) >= 0)
            {
                return $"oldText occurs more than once in '{path}'; include more surrounding lines so it is unique.";
            }

            file.Replace(Utf8.GetBytes(string.Concat(text.AsSpan(0, index), newText, text.AsSpan(index + oldText.Length))));
            return $"Patched {file.RelativePath}: replaced {oldText.Length} characters with {newText.Length}.";
        }
    });

    /// <summary>Runs <c>dotnet build</c> or <c>dotnet test</c> in the workspace root.</summary>
    /// <param name="command">Which command.</param>
    /// <param name="cancellationToken">Cancels the run (the process tree is killed).</param>
    /// <returns>The exit code (or time-out) and the output, truncated with a note when long.</returns>
    public async Task<string> RunDotnetAsync(
        [Description("'Build' runs dotnet build, 'Test' runs dotnet test.")] DotnetCommand command,
        CancellationToken cancellationToken)
    {
        var verb = command switch
        {
            DotnetCommand.Build => "build",
            DotnetCommand.Test => "test",
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Use Build or Test."),
        };
        var result = await _runner.RunAsync("dotnet", [verb, "--nologo", "-v", "q"], cancellationToken).ConfigureAwait(false);
        return result.ToToolResult();
    }

    private static string Guarded(Func<string> operation)
    {
        try
        {
            return operation();
        }
        catch (WorkspaceAccessException ex)
        {
            return ex.Message;
        }
        catch (IOException ex)
        {
            return $"The file operation failed: {ex.Message}";
        }
        catch (UnauthorizedAccessException ex)
        {
            return $"Access was denied by the operating system: {ex.Message}";
        }
    }

    private static List<string> SplitLines(string text)
    {
        var lines = new List<string>();
        using var reader = new StringReader(text);
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }

    // Every entry under a directory listing, depth first, without descending into links (the sandbox never follows them).
    private IEnumerable<WorkspaceEntry> EnumerateEntries(IReadOnlyList<WorkspaceEntry> top)
    {
        var pending = new Stack<IReadOnlyList<WorkspaceEntry>>();
        pending.Push(top);
        while (pending.Count > 0)
        {
            foreach (var entry in pending.Pop())
            {
                if (entry.Kind == WorkspaceEntryKind.Directory)
                {
                    pending.Push(ListOrEmpty(entry.RelativePath));
                }

                yield return entry;
            }
        }
    }

    // A subdirectory that became a link, vanished or cannot be read since its parent was listed is left out.
    private IReadOnlyList<WorkspaceEntry> ListOrEmpty(string relativePath)
    {
        try
        {
            return _sandbox.ListDirectory(relativePath);
        }
        catch (Exception ex) when (ex is WorkspaceAccessException or IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    // Opens a file through the sandbox and decodes it, or says why it is not read (missing, too large, binary).
    private string? ReadText(string requested, WorkspaceFileMode mode, out WorkspaceFile file, out string content)
    {
        file = null!;
        content = string.Empty;
        WorkspaceFile opened;
        try
        {
            opened = _sandbox.OpenFile(requested, mode);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return $"'{requested}' is not a file of the workspace. Call {ListFilesName} to see what exists.";
        }

        try
        {
            if (opened.Length > MaxFileBytes)
            {
                opened.Dispose();
                return $"'{requested}' has {opened.Length} bytes; files over {MaxFileBytes} bytes are not read. Search it with {SearchTextName} instead.";
            }

            var bytes = opened.ReadAll(MaxFileBytes);
            if (bytes.AsSpan(0, Math.Min(bytes.Length, 4096)).Contains((byte)0))
            {
                opened.Dispose();
                return $"'{requested}' looks binary (it contains NUL bytes) and is not read.";
            }

            using var reader = new StreamReader(new MemoryStream(bytes), Utf8, detectEncodingFromByteOrderMarks: true);
            content = reader.ReadToEnd();
            file = opened;
            return null;
        }
        catch
        {
            opened.Dispose();
            throw;
        }
    }
}
