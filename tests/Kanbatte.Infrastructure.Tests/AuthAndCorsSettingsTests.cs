using System.Text.Json.Nodes;
using Kanbatte.Api;

namespace Kanbatte.Infrastructure.Tests;

/// <summary>
/// The compiled template evaluated as azd would deploy it (parameters from the azd environment): the function app
/// validates Entra ID v2 access tokens for the API's registration, names users by <c>oid</c>, answers CORS itself for the
/// web client and the configured origins, and carries no key or secret.
/// </summary>
public sealed class AuthAndCorsSettingsTests(CompiledTemplate compiled) : IClassFixture<CompiledTemplate>
{
    private const string TenantId = "3f1c2a9e-5b7d-4e60-9a2b-8c4d6e0f1a23";
    private const string ApiClientId = "9b0e4d2c-71a3-4f5e-8d6b-2a1c3e5f7091";
    private const string Bearer = "Authentication__Schemes__Bearer__";
    // environment().authentication.loginEndpoint is the cloud's; on Azure's public cloud it is this.
    private const string LoginEndpoint = "{environment().authentication.loginEndpoint}";
    private const string PublicCloudLoginEndpoint = "https://login.microsoftonline.com/";

    private static readonly Dictionary<string, object?> Deployment = new()
    {
        ["environmentName"] = "dev",
        ["location"] = "swedencentral",
        ["authTenantId"] = TenantId,
        ["apiClientId"] = ApiClientId,
        ["corsAllowedOrigins"] = "https://board.example.com, https://m.example.com,", // spaces and a trailing comma, as people type lists
    };

    private static (ArmTemplate Scope, JsonObject App) App(ArmTemplate template) =>
        Assert.Single(template.AllResources(), r => ArmTemplate.Type(r.Resource) == "Microsoft.Web/sites" && !ArmTemplate.IsExisting(r.Resource));

    private static Dictionary<string, object?> AppSettings(ArmTemplate template)
    {
        var (scope, app) = App(template);
        var settings = Assert.IsType<List<object?>>(scope.Evaluate(app, "properties.siteConfig.appSettings"));
        return settings.Cast<Dictionary<string, object?>>().ToDictionary(s => (string)s["name"]!, s => s["value"]);
    }

    private static Dictionary<string, object?> Deployed(Action<Dictionary<string, object?>>? change = null)
    {
        var parameters = new Dictionary<string, object?>(Deployment);
        change?.Invoke(parameters);
        return parameters;
    }

    /// <summary>A value that only Azure completes, with the public cloud's login endpoint put in.</summary>
    private static string OnPublicCloud(object? value) =>
        Assert.IsType<Opaque>(value).Description.Replace(LoginEndpoint, PublicCloudLoginEndpoint, StringComparison.Ordinal);

    [Fact]
    public void Tokens_are_validated_against_the_tenants_v2_issuer_and_the_APIs_client_id()
    {
        var settings = AppSettings(compiled.DeployedWith(Deployed()));

        var issuer = $"{PublicCloudLoginEndpoint}{TenantId}/v2.0";
        // The authority serves the metadata and signing keys; v2 access tokens name the same URL as their issuer.
        Assert.Equal(issuer, OnPublicCloud(settings[Bearer + "Authority"]));
        Assert.Equal(issuer, OnPublicCloud(settings[Bearer + "ValidIssuer"]));
        // The login endpoint is the cloud's own, never a URL written into the template.
        Assert.Equal($"{LoginEndpoint}{TenantId}/v2.0", Assert.IsType<Opaque>(settings[Bearer + "Authority"]).Description);
        // accessTokenAcceptedVersion 2: aud is the client id, whether the client asked for api://<id>/access_as_user or not.
        Assert.Equal(ApiClientId, settings[Bearer + "ValidAudiences__0"]);
        Assert.Equal([Bearer + "Authority", Bearer + "ValidAudiences__0", Bearer + "ValidIssuer"],
            settings.Keys.Where(k => k.StartsWith(Bearer, StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Without_a_tenant_parameter_the_tokens_come_from_the_deployments_tenant()
    {
        var settings = AppSettings(compiled.DeployedWith(Deployed(p => p["authTenantId"] = "")));
        Assert.Equal($"{PublicCloudLoginEndpoint}{{tenant().tenantId}}/v2.0", OnPublicCloud(settings[Bearer + "ValidIssuer"]));
        Assert.Equal(settings[Bearer + "ValidIssuer"], settings[Bearer + "Authority"]);
    }

    [Fact]
    public void The_user_id_is_the_object_id_claim()
    {
        var settings = AppSettings(compiled.DeployedWith(Deployed()));
        var name = KanbatteAuthOptions.Section.Replace(":", "__", StringComparison.Ordinal) + "__" + nameof(KanbatteAuthOptions.UserIdClaim);
        // oid is the user's one id in the tenant; sub differs from one client app to the next.
        Assert.Equal("oid", settings[name]);
    }

    [Fact]
    public void The_API_client_id_must_be_given_and_look_like_a_GUID()
    {
        var template = JsonNode.Parse(File.ReadAllText(BicepRun.Instance.CompiledPath("infra/main.bicep")))!;
        var parameter = template["parameters"]!["apiClientId"]!.AsObject();
        Assert.False(parameter.ContainsKey("defaultValue"), "an API without an audience would refuse to start: no default");
        Assert.Equal(36, (int)parameter["minLength"]!);
        Assert.Equal(36, (int)parameter["maxLength"]!);
    }

    [Fact]
    public void Platform_CORS_is_off_whatever_origins_are_allowed()
    {
        foreach (var origins in new[] { "https://board.example.com, https://m.example.com", "" })
        {
            var (scope, app) = App(compiled.DeployedWith(Deployed(p => p["corsAllowedOrigins"] = origins)));
            // No origin at all: App Service then leaves every request, OPTIONS included, to the app.
            Assert.Equal([], Assert.IsType<List<object?>>(scope.Evaluate(app, "properties.siteConfig.cors.allowedOrigins")));
            Assert.Equal(false, scope.Evaluate(app, "properties.siteConfig.cors.supportCredentials"));
        }
    }

    [Fact]
    public void The_CORS_origins_parameter_becomes_the_indexed_Kanbatte_Cors_Origins_settings_after_the_web_client()
    {
        var settings = AppSettings(compiled.DeployedWith(Deployed()));
        var origins = settings.Where(s => s.Key.StartsWith("Kanbatte__Cors__", StringComparison.Ordinal)).OrderBy(s => s.Key, StringComparer.Ordinal).ToList();
        // Index 0 is the web client deployed with the API (WebClientInfrastructureTests); the parameter's origins follow.
        Assert.Equal("Kanbatte__Cors__Origins__0", origins[0].Key);
        Assert.Contains("Microsoft.Web/staticSites", Assert.IsType<Opaque>(origins[0].Value).Description);
        Assert.Equal(
            [KeyValuePair.Create("Kanbatte__Cors__Origins__1", (object?)"https://board.example.com"), KeyValuePair.Create("Kanbatte__Cors__Origins__2", (object?)"https://m.example.com")],
            origins.Skip(1));
    }

    [Fact]
    public void No_setting_holds_a_key_or_a_secret()
    {
        var settings = AppSettings(compiled.DeployedWith(Deployed()));
        Assert.NotEmpty(settings);
        // Application Insights' connection string authorises telemetry ingestion only (see infra/README.md).
        var named = settings.Keys.Where(k => k != "APPLICATIONINSIGHTS_CONNECTION_STRING")
            .Where(k => System.Text.RegularExpressions.Regex.IsMatch(k, "key|secret|password|connectionstring|token|certificate|credential", System.Text.RegularExpressions.RegexOptions.IgnoreCase));
        Assert.Empty(named); // also no SigningKeys: the authority's metadata brings the keys
        var values = settings.Values.Select(v => v switch { Opaque o => o.Description, _ => v?.ToString() ?? "" });
        foreach (var marker in new[] { "AccountKey=", "SharedAccessKey", "SharedAccessSignature", "ClientSecret", "Password=", "-----BEGIN" })
            Assert.DoesNotContain(values, v => v.Contains(marker, StringComparison.OrdinalIgnoreCase));
    }
}
