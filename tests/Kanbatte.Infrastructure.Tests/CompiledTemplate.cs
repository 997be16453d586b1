namespace Kanbatte.Infrastructure.Tests;

/// <summary>infra/main.bicep compiled once (with its modules inlined) for the tests that read the ARM template.</summary>
public sealed class CompiledTemplate
{
    internal ArmTemplate Main { get; }

    public CompiledTemplate()
    {
        var result = BicepCli.Run("build", Path.Combine(Repository.Infra, "main.bicep"), "--stdout");
        if (result.ExitCode != 0) throw new InvalidOperationException($"bicep build main.bicep failed:\n{result.Output}");
        Main = ArmTemplate.Parse(result.Stdout);
    }
}
