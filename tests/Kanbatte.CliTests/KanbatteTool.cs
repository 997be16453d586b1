using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace Kanbatte.CliTests;

/// <summary>What one run of the tool did: its exit code, standard output and standard error.</summary>
public sealed record ToolResult(int ExitCode, string Out, string Err)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}--- stderr\n{Err}";
}

/// <summary>
/// The built tool, <c>dotnet src/Kanbatte.Cli/bin/&lt;configuration&gt;/net10.0/kanbatte.dll</c>, run as a process with
/// its own environment: no KANBATTE_* variable of the machine leaks in, and its config folder is the test's.
/// </summary>
public static partial class KanbatteTool
{
    public static string Dll { get; } = typeof(KanbatteTool).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "KanbatteCliDll").Value!;

    public static ProcessStartInfo StartInfo(IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment, string? workingDirectory = null)
    {
        Assert.True(File.Exists(Dll), $"The tool is not built: {Dll}");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("KANBATTE_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(name);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment)
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }
        return start;
    }

    /// <summary>Runs the tool to its end (60 s at most), with <paramref name="stdin"/> on its standard input (then closed).</summary>
    public static async Task<ToolResult> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment, string? stdin = null,
        string? workingDirectory = null)
    {
        using var process = Process.Start(StartInfo(args, environment, workingDirectory))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kanbatte {string.Join(' ', args)} did not exit within 60 s:\n{await output}{await error}");
        }
        return new ToolResult(process.ExitCode, await output, await error);
    }

    /// <summary>
    /// The signal that stands for Ctrl+C: SIGINT, unless this process was started with SIGINT ignored (a background job
    /// of a shell without job control), which its children inherit; then SIGTERM, which the tool treats the same.
    /// </summary>
    public static int StopSignal { get; } = SigintIgnored() ? 15 : 2;

    private static bool SigintIgnored()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
            return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & 0x2) != 0;
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static void Signal(Process process, int signal) => Assert.Equal(0, Kill(process.Id, signal));

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
