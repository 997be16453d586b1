namespace Kanbatte.Infrastructure.Tests;

/// <summary>Every Bicep file builds and lints with no error and no warning (the linter rules: infra/bicepconfig.json).</summary>
public sealed class BicepLintTests
{
    public static TheoryData<string> BicepFiles() => new(Repository.BicepFiles().Select(Repository.Relative));

    [Fact]
    public void The_infrastructure_has_a_main_template_and_modules()
    {
        var files = Repository.BicepFiles().Select(Repository.Relative).ToList();
        Assert.Contains("infra/main.bicep", files);
        Assert.True(File.Exists(Path.Combine(Repository.Infra, "main.parameters.json")), "azd reads infra/main.parameters.json");
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public void Builds_without_errors_or_warnings(string file)
    {
        var output = Path.Combine(Path.GetTempPath(), $"kanbatte-bicep-{Guid.NewGuid():N}.json");
        try
        {
            var result = BicepCli.Run("build", Path.Combine(Repository.Root, file), "--outfile", output);
            Assert.True(result.ExitCode == 0 && result.Problems.Count == 0, $"bicep build {file} (exit {result.ExitCode}):\n{result.Output}");
            Assert.True(File.Exists(output), $"bicep build {file} wrote no template");
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public void Lints_without_errors_or_warnings(string file)
    {
        var result = BicepCli.Run("lint", Path.Combine(Repository.Root, file));
        Assert.True(result.ExitCode == 0 && result.Problems.Count == 0, $"bicep lint {file} (exit {result.ExitCode}):\n{result.Output}");
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public void Uses_no_registry_modules(string file)
    {
        // br:/br/ (registry) and ts: (template spec) modules cannot be restored offline; plain declarations only.
        var lines = File.ReadAllLines(Path.Combine(Repository.Root, file))
            .Where(l => l.TrimStart().StartsWith("module ", StringComparison.Ordinal))
            .Where(l => l.Contains("'br:", StringComparison.Ordinal) || l.Contains("'br/", StringComparison.Ordinal) || l.Contains("'ts:", StringComparison.Ordinal) || l.Contains("'ts/", StringComparison.Ordinal));
        Assert.Empty(lines);
    }
}
