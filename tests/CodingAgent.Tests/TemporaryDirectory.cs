using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace CodingAgent.Tests;

/// <summary>A fresh directory under the temporary folder, deleted (links included, never followed) on dispose.</summary>
internal sealed class TemporaryDirectory : IDisposable
{
    public TemporaryDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "coding-agent-tests", RandomNumberGenerator.GetHexString(12, lowercase: true));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public string WriteFile(string relative, string content)
    {
        var full = Combine(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    /// <summary>Creates a FIFO (named pipe) with the system's <c>mkfifo</c>.</summary>
    public string CreateFifo(string relative)
    {
        var full = Combine(relative);
        Run("mkfifo", full);
        return full;
    }

    /// <summary>Creates a hard link to an existing file with the system's <c>ln</c>.</summary>
    public string CreateHardLink(string relative, string target)
    {
        var full = Combine(relative);
        Run("ln", target, full);
        return full;
    }

    /// <summary>Creates a Unix domain socket file; dispose the socket to close it (the file stays).</summary>
    public Socket CreateSocket(string relative)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(Combine(relative)));
        return socket;
    }

    private static void Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} failed ({process.ExitCode}): {error}");
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }
}
