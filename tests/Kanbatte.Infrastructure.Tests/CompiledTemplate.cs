namespace Kanbatte.Infrastructure.Tests;

/// <summary>infra/main.bicep compiled (its modules inlined) by the shared <see cref="BicepRun"/>.</summary>
public sealed class CompiledTemplate
{
    private readonly string _json;

    /// <summary>With every parameter at its default; the ones without (from azd's environment) stay opaque.</summary>
    internal ArmTemplate Main { get; }

    public CompiledTemplate()
    {
        var run = BicepRun.Instance;
        var main = run.CompiledPath("infra/main.bicep");
        if (!File.Exists(main)) throw new InvalidOperationException($"bicep build did not compile infra/main.bicep:\n{run.Build.Output}");
        _json = File.ReadAllText(main);
        Main = ArmTemplate.Parse(_json);
    }

    /// <summary>As deployed with these parameter values (what azd passes from main.parameters.json); others keep their defaults.</summary>
    internal ArmTemplate DeployedWith(IReadOnlyDictionary<string, object?> parameters) => ArmTemplate.Parse(_json, parameters);
}
