using System.Reflection;

namespace Kanbatte.Infrastructure.Tests;

/// <summary>Paths the build wrote into this assembly, so the tests never guess from the working directory.</summary>
internal static class Repository
{
    public static string Root { get; } = Metadata("RepositoryRoot");

    public static string Infra { get; } = Path.Combine(Root, "infra");

    /// <summary>The Bicep CLI from the Azure.Bicep.CommandLine.* package in the NuGet packages folder.</summary>
    public static string BicepPath { get; } = Metadata("BicepPath");

    public static IEnumerable<string> BicepFiles() =>
        Directory.EnumerateFiles(Infra, "*.bicep", SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    public static string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

    private static string Metadata(string key) =>
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"Assembly metadata '{key}' is missing: the test project's csproj writes it.");
}
