using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kanbatte.Infrastructure.Tests;

/// <summary>
/// The deployment wiring that cannot run here (azd, GitHub Actions) at least says what it must: azure.yaml and the
/// workflow are parsed as YAML and checked where each tool reads the setting, not merely found somewhere in the text.
/// </summary>
public sealed class DeploymentFilesTests
{
    private static string Read(string relative) => File.ReadAllText(Path.Combine(Repository.Root, relative));

    private static YamlMappingNode Yaml(string relative)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(Read(relative))) stream.Load(reader);
        var document = Assert.Single(stream.Documents);
        return Assert.IsType<YamlMappingNode>(document.RootNode);
    }

    /// <summary>The node at <paramref name="path"/> (mapping keys), failing with the path when any step is missing.</summary>
    private static YamlNode At(YamlNode node, params string[] path)
    {
        var walked = "";
        foreach (var key in path)
        {
            walked += "/" + key;
            var mapping = Assert.IsType<YamlMappingNode>(node);
            Assert.True(mapping.Children.TryGetValue(new YamlScalarNode(key), out var child), $"{walked} is missing");
            node = child!;
        }
        return node;
    }

    private static string Scalar(YamlNode node, params string[] path) =>
        Assert.IsType<YamlScalarNode>(At(node, path)).Value ?? throw new InvalidOperationException($"{string.Join("/", path)} is null");

    private static IEnumerable<string> Keys(YamlNode node, params string[] path) =>
        Assert.IsType<YamlMappingNode>(At(node, path)).Children.Keys.Select(k => ((YamlScalarNode)k).Value!);

    private static IReadOnlyList<YamlMappingNode> Steps(YamlNode workflow, string job) =>
        Assert.IsType<YamlSequenceNode>(At(workflow, "jobs", job, "steps")).Children.Select(Assert.IsType<YamlMappingNode>).ToList();

    private static bool Has(YamlMappingNode step, string key, Func<string, bool> value) =>
        step.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode { Value: { } v } && value(v);

    [Fact]
    public void Azd_deploys_the_function_app_as_the_service_the_Bicep_tags()
    {
        var azure = Yaml("azure.yaml");
        Assert.Equal("./src/Kanbatte.Functions", Scalar(azure, "services", "api", "project"));
        Assert.Equal("dotnet", Scalar(azure, "services", "api", "language"));
        Assert.Equal("function", Scalar(azure, "services", "api", "host"));
        Assert.Equal("bicep", Scalar(azure, "infra", "provider"));
        Assert.Equal("infra", Scalar(azure, "infra", "path"));
        // azd finds the target by the tag azd-service-name = the service key in azure.yaml.
        Assert.Equal(["api"], Keys(azure, "services"));
        Assert.Contains("'azd-service-name': 'api'", Read("infra/modules/function-app.bicep"));
    }

    [Fact]
    public void Azd_refuses_to_package_without_the_official_Cosmos_extension_switch()
    {
        var azure = Yaml("azure.yaml");
        var hook = At(azure, "services", "api", "hooks", "prepackage");
        Assert.Equal("sh", Scalar(hook, "posix", "shell"));
        var posix = Scalar(hook, "posix", "run");
        Assert.Contains("if [ \"$UseOfficialCosmosExtension\" != \"true\" ]; then", posix);
        Assert.Contains("exit 1", posix);
        Assert.Equal("pwsh", Scalar(hook, "windows", "shell"));
        var windows = Scalar(hook, "windows", "run");
        Assert.Contains("if ($env:UseOfficialCosmosExtension -ne 'true') {", windows);
        Assert.Contains("exit 1", windows);
    }

    [Fact]
    public void The_azd_parameters_file_feeds_every_required_Bicep_parameter()
    {
        var parameters = Read("infra/main.parameters.json");
        foreach (var name in new[] { "environmentName", "location", "corsAllowedOrigins", "dataAccessPrincipalId" })
            Assert.Contains($"\"{name}\"", parameters);
        Assert.Contains("${AZURE_ENV_NAME}", parameters);
        Assert.Contains("${AZURE_LOCATION}", parameters);
    }

    [Fact]
    public void The_workflow_tests_then_deploys_tags_with_OIDC_and_no_secrets()
    {
        var workflow = Yaml(".github/workflows/ci.yml");
        // YAML 1.1 reads a bare `on` as true; the representation model keeps keys as the text written, as GitHub does.
        Assert.Equal(["v*"], Assert.IsType<YamlSequenceNode>(At(workflow, "on", "push", "tags")).Children.Select(t => ((YamlScalarNode)t).Value));
        Assert.Contains(Steps(workflow, "test"), s => Has(s, "run", r => r.Trim() == "bash .ci/run"));

        Assert.Equal("startsWith(github.ref, 'refs/tags/v')", Scalar(workflow, "jobs", "deploy", "if"));
        Assert.Equal("test", Scalar(workflow, "jobs", "deploy", "needs"));
        Assert.Equal("write", Scalar(workflow, "jobs", "deploy", "permissions", "id-token"));
        var login = Assert.Single(Steps(workflow, "deploy"), s => Has(s, "uses", u => u.StartsWith("azure/login@", StringComparison.Ordinal)));
        Assert.Equal("${{ vars.AZURE_CLIENT_ID }}", Scalar(login, "with", "client-id"));
        Assert.Contains(Steps(workflow, "deploy"), s => Has(s, "run", r => r.Contains("azd auth login", StringComparison.Ordinal) && r.Contains("--federated-credential-provider github", StringComparison.Ordinal)));
        // Quoted, so the environment variable is the string "true" that MSBuild reads as the property.
        var official = Assert.IsType<YamlScalarNode>(At(workflow, "jobs", "deploy", "env", "UseOfficialCosmosExtension"));
        Assert.Equal(("true", true), (official.Value, official.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted));

        Assert.DoesNotMatch(@"\$\{\{\s*secrets\.", Read(".github/workflows/ci.yml")); // no ${{ secrets.X }} anywhere, comments included
    }
}
