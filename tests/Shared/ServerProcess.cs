using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;

namespace Kanbatte.Testing;

/// <summary>
/// The real server process on a free loopback port, stopped by its PID. It accepts the test issuer's tokens (given on
/// its command line, see <see cref="TestTokens"/>) and <see cref="Client"/> sends the default user's, unless started
/// with its local issuer.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, int port, bool testIssuer)
    {
        _process = process;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (testIssuer) Client.WithToken();
        process.OutputDataReceived += (_, e) => Capture(e.Data);
        process.ErrorDataReceived += (_, e) => Capture(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }
    public HttpClient Client { get; }
    public int Pid => _process.Id;

    /// <summary>What the server wrote to its console so far (standard output and error, interleaved by line).</summary>
    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <summary>Starts the built server from <paramref name="workingDirectory"/> with the test issuer and waits for /api/health.</summary>
    public static Task<ServerProcess> StartAsync(string workingDirectory, params string[] extraArgs) =>
        StartAsync(workingDirectory, testIssuer: true, extraArgs);

    /// <summary>Starts the server as a user would, without an issuer configured: it then uses its local issuer.</summary>
    public static Task<ServerProcess> StartWithLocalIssuerAsync(string workingDirectory, params string[] extraArgs) =>
        StartAsync(workingDirectory, testIssuer: false, extraArgs);

    private static async Task<ServerProcess> StartAsync(string workingDirectory, bool testIssuer, string[] extraArgs)
    {
        var port = LoopbackPort.Free();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Kanbatte.Server.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        if (testIssuer) foreach (var arg in TestTokens.CommandLine) start.ArgumentList.Add(arg);
        foreach (var arg in extraArgs) start.ArgumentList.Add(arg);
        start.Environment["Logging__LogLevel__Default"] = "Warning";

        var process = Process.Start(start)!;
        var server = new ServerProcess(process, port, testIssuer);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"The server exited with code {process.ExitCode} before it answered:\n{server.Output}");
            try
            {
                if ((await server.Client.GetAsync("api/health")).StatusCode == HttpStatusCode.OK) return server;
            }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        await server.DisposeAsync();
        throw new TimeoutException("The server did not answer /api/health within 60 s.");
    }

    /// <summary>Runs the built server with <paramref name="args"/> (a command, or a start expected to fail) until it exits.</summary>
    public static Task<(int ExitCode, string Output, string Error)> RunAsync(string workingDirectory, params string[] args) =>
        RunAsync(workingDirectory, args, new Dictionary<string, string>());

    /// <summary>The same, with more environment variables (settings as app settings: <c>Section__Key</c>).</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string workingDirectory, string[] args, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Kanbatte.Server.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        // Not a command (token, rotate-key): a start expected to fail, which must not take the default port if it does start.
        if (args is [] or [['-', ..], ..])
        {
            start.ArgumentList.Add("--urls");
            start.ArgumentList.Add($"http://127.0.0.1:{LoopbackPort.Free()}");
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"Kanbatte.Server {string.Join(' ', args)} did not exit within 60 s: {await output}{await error}");
        }
        return (process.ExitCode, await output, await error);
    }

    private void Capture(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    /// <summary>Ctrl+C: SIGINT, then wait for the process to finish shutting down.</summary>
    public async Task<int> InterruptAsync()
    {
        _ = Kill(_process.Id, 2);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no chance to clean up.</summary>
    public async Task KillAsync()
    {
        _ = Kill(_process.Id, 9);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
