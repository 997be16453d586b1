using System.Diagnostics;

namespace Kanbatte.Infrastructure.Tests;

internal sealed record BicepResult(int ExitCode, string Stdout, string Stderr)
{
    public string Output => Stdout + Stderr;

    /// <summary>Diagnostic lines look like <c>path(line,col) : Warning rule-name: message</c>.</summary>
    public IReadOnlyList<string> Problems =>
        Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.Contains(" : Warning ", StringComparison.Ordinal) || line.Contains(" : Error ", StringComparison.Ordinal))
            .ToList();
}

/// <summary>Runs the Bicep CLI offline: plain resource declarations only, so nothing needs the module registry.</summary>
internal static class BicepCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static BicepResult Run(params string[] arguments)
    {
        var path = Repository.BicepPath;
        if (!File.Exists(path))
            throw new FileNotFoundException($"Bicep CLI not found at {path}; restore the test project (PackageDownload Azure.Bicep.CommandLine.*).", path);
        EnsureExecutable(path);

        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Repository.Infra,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // The CLI is a .NET app: keep it quiet and local (no first-run or telemetry traffic).
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {path}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish within {Timeout}.");
        }
        process.WaitForExit();
        return new BicepResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Some package extractors drop the executable bit; restore it when the folder allows.</summary>
    private static void EnsureExecutable(string path)
    {
        if (OperatingSystem.IsWindows()) return;
        var mode = File.GetUnixFileMode(path);
        if ((mode & UnixFileMode.UserExecute) != 0) return;
        try { File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute); }
        catch (UnauthorizedAccessException) { /* the start below then reports what is wrong */ }
    }
}
