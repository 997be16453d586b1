using System.Text.Json;
using System.Text.Json.Nodes;
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
        Assert.Equal(["api", "web"], Keys(azure, "services"));
        Assert.Contains("'azd-service-name': 'api'", Read("infra/modules/function-app.bicep"));
    }

    [Fact]
    public void Azd_deploys_the_web_client_build_to_the_Static_Web_App_the_Bicep_tags()
    {
        var azure = Yaml("azure.yaml");
        Assert.Equal("./src/Kanbatte.Web", Scalar(azure, "services", "web", "project"));
        Assert.Equal("js", Scalar(azure, "services", "web", "language"));
        Assert.Equal("staticwebapp", Scalar(azure, "services", "web", "host"));
        // azd runs `npm run build`, then uploads the folder `dist` names: the one build.mjs writes.
        Assert.Equal("dist", Scalar(azure, "services", "web", "dist"));
        Assert.Contains("const out = \"dist\";", Read("src/Kanbatte.Web/build.mjs"));
        using (var package = JsonDocument.Parse(Read("src/Kanbatte.Web/package.json")))
            Assert.Contains("node build.mjs", package.RootElement.GetProperty("scripts").GetProperty("build").GetString());
        Assert.Contains("'azd-service-name': 'web'", Read("infra/modules/static-web-app.bicep"));
    }

    [Fact]
    public void The_web_client_configuration_is_written_after_provisioning_in_both_shells()
    {
        var hooks = At(Yaml("azure.yaml"), "services", "web", "hooks");
        // Not prebuild/postbuild/prepackage/postpackage: `azd up` packages before it provisions, so those would run
        // before the API and the Static Web App exist. predeploy runs after provisioning, before the upload of dist/.
        Assert.Equal(["predeploy"], Keys(hooks));
        foreach (var (os, shell, extension) in new[] { ("posix", "sh", ".sh"), ("windows", "pwsh", ".ps1") })
        {
            Assert.Equal(shell, Scalar(hooks, "predeploy", os, "shell"));
            // A service hook runs in the service's folder, and azd takes the path from there.
            var script = Scalar(hooks, "predeploy", os, "run");
            Assert.Equal($"../../infra/hooks/web-config{extension}", script);
            Assert.True(File.Exists(Path.GetFullPath(Path.Combine(Repository.Root, "src/Kanbatte.Web", script))), $"{script} is missing");
        }
    }

    [Fact]
    public void Azd_adds_the_web_client_redirect_URI_after_provisioning_in_both_shells()
    {
        var hook = At(Yaml("azure.yaml"), "hooks", "postprovision");
        foreach (var (os, shell, extension) in new[] { ("posix", "sh", ".sh"), ("windows", "pwsh", ".ps1") })
        {
            Assert.Equal(shell, Scalar(hook, os, "shell"));
            var script = Scalar(hook, os, "run");
            Assert.Equal($"./infra/hooks/postprovision{extension}", script);
            Assert.True(File.Exists(Path.Combine(Repository.Root, script)), $"{script} is missing");
        }
        // The outputs the hooks read are outputs of the template, by those names.
        var outputs = JsonNode.Parse(File.ReadAllText(BicepRun.Instance.CompiledPath("infra/main.bicep")))!["outputs"]!.AsObject();
        foreach (var name in new[] { "WEB_BASE_URL", "API_ORIGIN", "AZURE_SIGNALR_ENDPOINT", "AUTH_AUTHORITY" })
            Assert.True(outputs.ContainsKey(name), $"main.bicep has no output {name}");
        foreach (var script in new[] { "postprovision.sh", "postprovision.ps1" })
            Assert.Contains("WEB_BASE_URL", Read("infra/hooks/" + script));
        foreach (var script in new[] { "web-config.sh", "web-config.ps1" })
            foreach (var name in new[] { "API_ORIGIN", "AZURE_SIGNALR_ENDPOINT", "AUTH_AUTHORITY", "KANBATTE_API_CLIENT_ID" })
                Assert.Contains(name, Read("infra/hooks/" + script));
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
        foreach (var name in new[] { "environmentName", "location", "corsAllowedOrigins", "dataAccessPrincipalId", "authTenantId", "apiClientId", "webLocation" })
            Assert.Contains($"\"{name}\"", parameters);
        Assert.Contains("${AZURE_ENV_NAME}", parameters);
        Assert.Contains("${AZURE_LOCATION}", parameters);
        // Push's tier from the environment, Free when it is not set.
        Assert.Contains("\"signalRSku\"", parameters);
        Assert.Contains("${KANBATTE_SIGNALR_SKU=Free_F1}", parameters);
    }

    [Fact]
    public void Azd_runs_the_app_registration_hook_before_provisioning_in_both_shells()
    {
        var hook = At(Yaml("azure.yaml"), "hooks", "preprovision");
        foreach (var (os, shell, extension) in new[] { ("posix", "sh", ".sh"), ("windows", "pwsh", ".ps1") })
        {
            Assert.Equal(shell, Scalar(hook, os, "shell"));
            var script = Scalar(hook, os, "run");
            Assert.Equal($"./infra/hooks/preprovision{extension}", script);
            Assert.True(File.Exists(Path.Combine(Repository.Root, script)), $"{script} is missing");
        }
        // A project-level hook (under hooks:, not a service's), so `azd provision` alone runs it too.
        Assert.DoesNotContain("preprovision", Keys(Yaml("azure.yaml"), "services", "api", "hooks"));
    }

    [Fact]
    public void The_hook_hands_the_Bicep_exactly_the_values_main_parameters_json_reads()
    {
        // main.parameters.json: "apiClientId": { "value": "${KANBATTE_API_CLIENT_ID}" }, ...
        using var parameters = JsonDocument.Parse(Read("infra/main.parameters.json"));
        string Variable(string parameter) =>
            parameters.RootElement.GetProperty("parameters").GetProperty(parameter).GetProperty("value").GetString()!;
        Assert.Equal("${KANBATTE_API_CLIENT_ID}", Variable("apiClientId"));
        Assert.Equal("${KANBATTE_AUTH_TENANT_ID}", Variable("authTenantId"));
        foreach (var hook in new[] { "infra/hooks/preprovision.sh", "infra/hooks/preprovision.ps1" })
        {
            Assert.Matches(@"(azd env set|Set-AzdValue) KANBATTE_API_CLIENT_ID ""?\$", Read(hook));
            Assert.Matches(@"(azd env set|Set-AzdValue) KANBATTE_AUTH_TENANT_ID ""?\$", Read(hook));
        }
    }

    [Fact]
    public void The_API_registration_has_v2_tokens_the_delegated_scope_and_the_operator_role_the_code_checks()
    {
        using var registration = JsonDocument.Parse(Read("infra/hooks/api-registration.json"));
        var api = registration.RootElement.GetProperty("api");
        // v2: aud is the client id (what the Bicep sets as the audience) and iss is .../<tenant>/v2.0.
        Assert.Equal(2, api.GetProperty("requestedAccessTokenVersion").GetInt32());

        var scope = Assert.Single(api.GetProperty("oauth2PermissionScopes").EnumerateArray());
        Assert.Equal("access_as_user", scope.GetProperty("value").GetString());
        Assert.Equal("User", scope.GetProperty("type").GetString()); // users may consent for themselves
        Assert.True(scope.GetProperty("isEnabled").GetBoolean());

        var role = Assert.Single(registration.RootElement.GetProperty("appRoles").EnumerateArray());
        Assert.Equal(Kanbatte.Api.Identity.AdminRole, role.GetProperty("value").GetString());
        Assert.Equal(["User"], role.GetProperty("allowedMemberTypes").EnumerateArray().Select(t => t.GetString()));
        Assert.True(role.GetProperty("isEnabled").GetBoolean());

        // Ids are fixed, so every run sends the same definitions; the pre-authorization names the scope by its id.
        var scopeId = Guid.Parse(scope.GetProperty("id").GetString()!);
        Assert.NotEqual(scopeId, Guid.Parse(role.GetProperty("id").GetString()!));
        using var preauthorized = JsonDocument.Parse(Read("infra/hooks/api-preauthorized.json"));
        var azureCli = Assert.Single(preauthorized.RootElement.GetProperty("api").GetProperty("preAuthorizedApplications").EnumerateArray());
        Assert.Equal("04b07795-8ddb-461a-bbee-02f9e1bf7b46", azureCli.GetProperty("appId").GetString()); // the Azure CLI
        Assert.Equal([scopeId], azureCli.GetProperty("delegatedPermissionIds").EnumerateArray().Select(i => Guid.Parse(i.GetString()!)));
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

        // The API's app registration is a repository variable (an id, not a credential) that the hook uses as it is.
        Assert.Equal("${{ vars.KANBATTE_API_CLIENT_ID }}", Scalar(workflow, "jobs", "deploy", "env", "KANBATTE_API_CLIENT_ID"));
        // The web service is built with npm on the runner: node is set up before azd runs.
        var steps = Steps(workflow, "deploy").ToList();
        var node = steps.FindIndex(s => Has(s, "uses", u => u.StartsWith("actions/setup-node@", StringComparison.Ordinal)));
        var up = steps.FindIndex(s => Has(s, "run", r => r.Contains("azd up", StringComparison.Ordinal)));
        Assert.True(node >= 0 && node < up, "the deploy job sets up node before azd up");
        Assert.NotEmpty(Scalar(steps[node], "with", "node-version"));

        // Function keys are gone: the smoke test reads none, and expects the bearer challenge instead.
        var smoke = Assert.Single(Steps(workflow, "deploy"), s => Has(s, "name", n => n == "Smoke test"));
        Assert.DoesNotContain("functionapp keys", Scalar(smoke, "run"), StringComparison.Ordinal);
        Assert.Contains("www-authenticate: bearer", Scalar(smoke, "run"), StringComparison.Ordinal);
        // ...and the web client: a client path serves the page with its policy, and the API allows its origin.
        Assert.Contains("azd env get-value WEB_BASE_URL", Scalar(smoke, "run"), StringComparison.Ordinal);
        Assert.Contains("content-security-policy", Scalar(smoke, "run"), StringComparison.Ordinal);
        Assert.Contains("access-control-allow-origin: $web_url", Scalar(smoke, "run"), StringComparison.Ordinal);
    }
}
