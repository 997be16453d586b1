using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using Kanbatte.Testing;

namespace Kanbatte.Benchmarks;

/// <summary>A server the benchmark starts: `dotnet some.dll args`, on a free loopback port, stopped by its PID.</summary>
public sealed partial class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ChildProcess(Process process, int port, TimeSpan startedIn)
    {
        _process = process;
        Port = port;
        StartedIn = startedIn;
        // The test issuer's default token: Kanbatte started with TestTokens.CommandLine checks it, the baselines ignore it.
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) }.WithToken();
    }

    public int Port { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");
    public HttpClient Client { get; }
    public int Pid => _process.Id;

    /// <summary>From process start to the first 200 from /api/health.</summary>
    public TimeSpan StartedIn { get; }

    public static string BenchmarkDll => typeof(ChildProcess).Assembly.Location;
    public static string ServerDll => Path.Combine(AppContext.BaseDirectory, "Kanbatte.Server.dll");

    public static async Task<ChildProcess> StartAsync(string dll, params string[] args)
    {
        var port = LoopbackPort.Free();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited) throw new InvalidOperationException($"{Path.GetFileName(dll)} exited with {process.ExitCode} before answering.");
            try
            {
                if ((await probe.GetAsync($"http://127.0.0.1:{port}/api/health")).StatusCode == HttpStatusCode.OK)
                    return new ChildProcess(process, port, clock.Elapsed);
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(5);
        }
        process.Kill();
        throw new TimeoutException($"{Path.GetFileName(dll)} did not answer /api/health within 60 s.");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, 2); // SIGINT: a clean stop
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try { await _process.WaitForExitAsync(timeout.Token); }
            catch (OperationCanceledException) { _process.Kill(); await _process.WaitForExitAsync(); }
        }
        _process.Dispose();
    }

    /// <summary>The peak resident memory of a live process, in MiB (Linux: VmHWM).</summary>
    public static double? PeakMemoryMiB(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
        }
        catch (IOException) { return null; }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
