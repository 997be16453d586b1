namespace Kanbatte.Infrastructure.Tests;

/// <summary>
/// The deployment wiring that cannot run here (azd, GitHub Actions) at least says what it must: checked as text,
/// since no YAML parser is among the packages served to the build machines.
/// </summary>
public sealed class DeploymentFilesTests
{
    private static string Read(string relative) => File.ReadAllText(Path.Combine(Repository.Root, relative));

    [Fact]
    public void Azd_deploys_the_function_app_as_the_service_the_Bicep_tags()
    {
        var azure = Read("azure.yaml");
        Assert.Contains("project: ./src/Kanbatte.Functions", azure);
        Assert.Contains("language: dotnet", azure);
        Assert.Contains("host: function", azure);
        Assert.Contains("path: infra", azure);
        // azd finds the target by the tag azd-service-name = the service key in azure.yaml.
        Assert.Contains("\n  api:\n", azure.ReplaceLineEndings("\n"));
        Assert.Contains("'azd-service-name': 'api'", Read("infra/modules/function-app.bicep"));
    }

    [Fact]
    public void Azd_refuses_to_package_without_the_official_Cosmos_extension_switch()
    {
        var azure = Read("azure.yaml");
        Assert.Contains("prepackage:", azure);
        Assert.Contains("\"$UseOfficialCosmosExtension\" != \"true\"", azure);
        Assert.Contains("$env:UseOfficialCosmosExtension -ne 'true'", azure);
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
        var workflow = Read(".github/workflows/ci.yml");
        Assert.Contains("bash .ci/run", workflow);
        Assert.Contains("tags: ['v*']", workflow);
        Assert.Contains("startsWith(github.ref, 'refs/tags/v')", workflow);
        Assert.Contains("id-token: write", workflow);
        Assert.Contains("azure/login@", workflow);
        Assert.Contains("client-id: ${{ vars.AZURE_CLIENT_ID }}", workflow);
        Assert.Contains("--federated-credential-provider github", workflow);
        Assert.Contains("UseOfficialCosmosExtension: 'true'", workflow);
        Assert.DoesNotMatch(@"\$\{\{\s*secrets\.", workflow); // no ${{ secrets.X }} anywhere
    }
}
