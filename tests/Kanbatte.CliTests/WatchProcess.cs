using System.Diagnostics;
using System.Threading.Channels;

namespace Kanbatte.CliTests;

/// <summary>A running watch: its standard output read line by line, stopped with Ctrl+C (SIGINT).</summary>
public sealed class WatchProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly Task _reading;

    private WatchProcess(Process process)
    {
        _process = process;
        _reading = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line) await _lines.Writer.WriteAsync(line);
            _lines.Writer.Complete();
        });
    }

    public string Ready { get; private set; } = "";

    /// <summary>Starts the watch and waits for it to say it is watching (its first line on standard error).</summary>
    public static async Task<WatchProcess> StartAsync(Tool tool, params string[] args)
    {
        var process = Process.Start(KanbatteTool.StartInfo(args, tool.Environment))!;
        process.StandardInput.Close();
        var watching = new WatchProcess(process);
        watching.Ready = await process.StandardError.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) ?? "";
        Assert.StartsWith("Watching ", watching.Ready);
        return watching;
    }

    public async Task<string> NextLineAsync() => await _lines.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

    /// <summary>Ctrl+C; then the exit code, the lines not read yet and the rest of standard error.</summary>
    public async Task<(int ExitCode, string Remaining, string Error)> StopAsync()
    {
        KanbatteTool.Signal(_process, KanbatteTool.StopSignal);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _reading;
        var rest = new List<string>();
        while (_lines.Reader.TryRead(out var line)) rest.Add(line);
        return (_process.ExitCode, string.Concat(rest.Select(l => l + "\n")), await _process.StandardError.ReadToEndAsync());
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
