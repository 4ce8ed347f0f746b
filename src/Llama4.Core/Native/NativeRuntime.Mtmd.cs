using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LLama.Native;

namespace Llama4.Core.Native;

/// <summary>Routes llama.cpp's mtmd (vision) log into the same logger as llama.cpp's own log.</summary>
internal static partial class NativeRuntime
{
    private static bool _mtmdLogRouted;

    /// <summary>
    /// Sends mtmd's log (projector load, image preprocessing and encoding, and the reasons mtmd refuses a projector)
    /// through the llama.cpp log route. LLamaSharp 0.30 binds no <c>mtmd_log_set</c>, so without this mtmd writes to
    /// the console. Loads mtmd through LLamaSharp first, then looks the export up in that already loaded library (the
    /// dynamic loader returns the loaded copy for its name). False when the library or the export is not found; the log
    /// then stays on the console.
    /// </summary>
    public static unsafe bool RouteMtmdLog()
    {
        lock (Sync)
        {
            if (_mtmdLogRouted)
            {
                return true;
            }

            // Any mtmd call makes LLamaSharp load the library with its own backend choice.
            _ = NativeApi.MtmdDefaultMarker();
            var name = OperatingSystem.IsWindows() ? "mtmd.dll" : OperatingSystem.IsMacOS() ? "libmtmd.dylib" : "libmtmd.so";
            if (!NativeLibrary.TryLoad(name, out var handle))
            {
                return false;
            }

            foreach (var export in new[] { "mtmd_log_set", "mtmd_helper_log_set" })
            {
                if (NativeLibrary.TryGetExport(handle, export, out var address))
                {
                    var setLog = (delegate* unmanaged[Cdecl]<delegate* unmanaged[Cdecl]<int, byte*, void*, void>, void*, void>)address;
                    setLog(&OnMtmdLog, null);
                    _mtmdLogRouted = true;
                }
            }

            return _mtmdLogRouted;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static unsafe void OnMtmdLog(int level, byte* text, void* userData)
    {
        // ggml's log levels are LLamaSharp's (none, debug, info, warn, error, continue). Nothing may escape into
        // native code: a logger that throws loses the line.
        try
        {
            OnNativeLog((LLamaLogLevel)level, Marshal.PtrToStringUTF8((nint)text) ?? string.Empty);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            lock (Sync)
            {
                PendingLine.Clear();
            }
        }
    }
}
