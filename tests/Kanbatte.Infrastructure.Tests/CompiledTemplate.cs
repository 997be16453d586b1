namespace Kanbatte.Infrastructure.Tests;

/// <summary>infra/main.bicep compiled (its modules inlined) by the shared <see cref="BicepRun"/>.</summary>
public sealed class CompiledTemplate
{
    internal ArmTemplate Main { get; }

    public CompiledTemplate()
    {
        var run = BicepRun.Instance;
        var main = run.CompiledPath("infra/main.bicep");
        if (!File.Exists(main)) throw new InvalidOperationException($"bicep build did not compile infra/main.bicep:\n{run.Build.Output}");
        Main = ArmTemplate.Parse(File.ReadAllText(main));
    }
}
