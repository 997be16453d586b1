using System.Diagnostics;

namespace Kanbatte.Infrastructure.Tests;

/// <summary>One run of a hook script by <c>sh</c>: its exit code and what it printed.</summary>
internal sealed record HookResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n{Output}\n{Error}";
}

/// <summary>
/// Runs an infra/hooks/*.sh script by <c>sh</c> as azd would: in a given folder, with the azd environment's values as
/// environment variables and none of this machine's KANBATTE_* / AZURE_* ones, stand-ins first on the PATH when given.
/// </summary>
internal static class HookProcess
{
    public static HookResult Run(string script, string workingDirectory, IReadOnlyDictionary<string, string> environment, string? stubs = null)
    {
        var start = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        start.ArgumentList.Add(Path.Combine(Repository.Infra, "hooks", script));
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("KANBATTE_", StringComparison.Ordinal) || k.StartsWith("AZURE_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(name);
        foreach (var name in new[] { "API_ORIGIN", "API_BASE_URL", "WEB_BASE_URL", "AUTH_AUTHORITY" }) start.Environment.Remove(name);
        if (stubs is not null) start.Environment["PATH"] = stubs + Path.PathSeparator + start.Environment["PATH"];
        foreach (var (name, value) in environment) start.Environment[name] = value;

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start sh (the hook tests need a POSIX sh).");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The hook {script} did not finish within a minute.");
        }
        process.WaitForExit();
        return new HookResult(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>The az and azd stand-ins (HookStubs/) copied into <paramref name="bin"/>, executable.</summary>
    public static void InstallStubs(string bin)
    {
        Directory.CreateDirectory(bin);
        foreach (var tool in new[] { "az", "azd" })
        {
            var target = Path.Combine(bin, tool);
            File.Copy(Path.Combine(Repository.Root, "tests/Kanbatte.Infrastructure.Tests/HookStubs", tool), target);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(target, File.GetUnixFileMode(target) | UnixFileMode.UserExecute);
        }
    }

    public static SortedSet<string> Matches(string text, string pattern) =>
        new(System.Text.RegularExpressions.Regex.Matches(text, pattern).Select(m => m.Groups[1].Value), StringComparer.Ordinal);
}
