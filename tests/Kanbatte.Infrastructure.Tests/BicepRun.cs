namespace Kanbatte.Infrastructure.Tests;

/// <summary>
/// One <c>bicep build</c> and one <c>bicep lint</c> over every infra/**/*.bicep (the CLI starts slowly, so once each,
/// shared by all tests). <c>--no-restore</c>: nothing is fetched from a module registry, the run is offline.
/// </summary>
internal sealed class BicepRun
{
    private static readonly Lazy<BicepRun> Shared = new(() => new BicepRun(), LazyThreadSafetyMode.ExecutionAndPublication);

    public static BicepRun Instance => Shared.Value;

    public BicepResult Build { get; }
    public BicepResult Lint { get; }

    /// <summary>Where the compiled ARM templates are, mirroring infra/ (main.json, modules/*.json).</summary>
    public string OutputDirectory { get; }

    private BicepRun()
    {
        // Process exit removes it; the templates are read by several test classes until then.
        OutputDirectory = Directory.CreateTempSubdirectory("kanbatte-bicep-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(OutputDirectory, recursive: true);
        var build = Task.Run(() => BicepCli.Run("build", "--pattern", "**/*.bicep", "--outdir", OutputDirectory, "--no-restore"));
        var lint = Task.Run(() => BicepCli.Run("lint", "--pattern", "**/*.bicep", "--no-restore"));
        Build = build.Result;
        Lint = lint.Result;
    }

    public static IReadOnlyList<string> ProblemsOf(BicepResult result, string file) =>
        result.Problems.Where(p => p.StartsWith(Path.Combine(Repository.Root, file) + "(", StringComparison.Ordinal)).ToList();

    public string CompiledPath(string file) =>
        Path.Combine(OutputDirectory, Path.ChangeExtension(Path.GetRelativePath(Repository.Infra, Path.Combine(Repository.Root, file)), ".json"));
}
