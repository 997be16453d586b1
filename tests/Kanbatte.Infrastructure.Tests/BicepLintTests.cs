using System.Text.Json;

namespace Kanbatte.Infrastructure.Tests;

/// <summary>Every Bicep file builds and lints with no error and no warning (the linter rules: infra/bicepconfig.json).</summary>
public sealed class BicepLintTests
{
    public static TheoryData<string> BicepFiles() => new(Repository.BicepFiles().Select(Repository.Relative));

    [Fact]
    public void The_infrastructure_has_a_main_template_and_its_azd_parameters()
    {
        Assert.Contains("infra/main.bicep", Repository.BicepFiles().Select(Repository.Relative));
        Assert.True(File.Exists(Path.Combine(Repository.Infra, "main.parameters.json")), "azd reads infra/main.parameters.json");
    }

    [Fact]
    public void The_build_and_the_lint_report_nothing_at_all()
    {
        var run = BicepRun.Instance;
        Assert.True(run.Build.ExitCode == 0 && run.Build.Problems.Count == 0, $"bicep build (exit {run.Build.ExitCode}):\n{run.Build.Output}");
        Assert.True(run.Lint.ExitCode == 0 && run.Lint.Problems.Count == 0, $"bicep lint (exit {run.Lint.ExitCode}):\n{run.Lint.Output}");
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public void Builds_without_errors_or_warnings(string file)
    {
        var run = BicepRun.Instance;
        Assert.Empty(BicepRun.ProblemsOf(run.Build, file));
        Assert.True(File.Exists(run.CompiledPath(file)), $"bicep build wrote no template for {file}:\n{run.Build.Output}");
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public void Lints_without_errors_or_warnings(string file) =>
        Assert.Empty(BicepRun.ProblemsOf(BicepRun.Instance.Lint, file));

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public void Uses_no_registry_modules(string file)
    {
        // br:/br/ (registry) and ts:/ts/ (template spec) modules cannot be restored offline: plain declarations only.
        var lines = File.ReadAllLines(Path.Combine(Repository.Root, file))
            .Where(l => l.TrimStart().StartsWith("module ", StringComparison.Ordinal))
            .Where(l => new[] { "'br:", "'br/", "'ts:", "'ts/" }.Any(p => l.Contains(p, StringComparison.Ordinal)));
        Assert.Empty(lines);
    }

    [Fact]
    public void The_linter_configuration_only_ever_makes_rules_stricter()
    {
        // A warning is fixed in the Bicep, never silenced: no rule may be switched off or down to info.
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Infra, "bicepconfig.json")),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var core = config.RootElement.GetProperty("analyzers").GetProperty("core");
        Assert.True(core.GetProperty("enabled").GetBoolean(), "the linter is disabled");
        var weakened = core.GetProperty("rules").EnumerateObject()
            .Where(r => r.Value.GetProperty("level").GetString() is not ("warning" or "error"))
            .Select(r => r.Name);
        Assert.Empty(weakened);
    }
}
