using System.Runtime.InteropServices;

namespace Kanbatte.Benchmarks;

/// <summary>What the figures were measured on: they mean little without it.</summary>
public static class Machine
{
    public static string Describe()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"Machine: {Environment.ProcessorCount} cores ({cpu ?? "unknown CPU"}), {RuntimeInformation.OSDescription}, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC";
    }
}
