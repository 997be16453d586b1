using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kanbatte.Infrastructure.Tests;

/// <summary>
/// The web client's part of the compiled template, evaluated as azd deploys it (parameters from the azd environment): a
/// Static Web App on the Free tier that azd finds by its tag, whose origin the API and SignalR Service allow (CORS) next
/// to the configured ones, and the outputs its configuration hook (infra/hooks/web-config.sh) reads.
/// </summary>
public sealed class WebClientInfrastructureTests(CompiledTemplate compiled) : IClassFixture<CompiledTemplate>
{
    private const string TenantId = "3f1c2a9e-5b7d-4e60-9a2b-8c4d6e0f1a23";

    private static readonly Dictionary<string, object?> Deployment = new()
    {
        ["environmentName"] = "dev",
        ["location"] = "swedencentral",
        ["authTenantId"] = TenantId,
        ["apiClientId"] = "9b0e4d2c-71a3-4f5e-8d6b-2a1c3e5f7091",
        ["corsAllowedOrigins"] = "https://board.example.com, https://m.example.com,",
    };

    private ArmTemplate Deployed(Action<Dictionary<string, object?>>? change = null)
    {
        var parameters = new Dictionary<string, object?>(Deployment);
        change?.Invoke(parameters);
        return compiled.DeployedWith(parameters);
    }

    private static (ArmTemplate Scope, JsonObject Resource) Single(ArmTemplate template, string type) =>
        Assert.Single(template.AllResources(), r => ArmTemplate.Type(r.Resource) == type && !ArmTemplate.IsExisting(r.Resource));

    private static string Describe(object? value) => value is Opaque o ? o.Description : Assert.IsType<string>(value);

    /// <summary>The web client's origin as the template knows it before Azure names the site: its default host name.</summary>
    private static string WebOrigin(ArmTemplate template)
    {
        var origin = Describe(template.Output("WEB_BASE_URL"));
        Assert.StartsWith("https://{reference(", origin);
        Assert.Contains("Microsoft.Web/staticSites", origin);
        Assert.EndsWith(").defaultHostname}", origin);
        return origin;
    }

    private static List<string> ApiOrigins(ArmTemplate template)
    {
        var (scope, app) = Single(template, "Microsoft.Web/sites");
        var settings = Assert.IsType<List<object?>>(scope.Evaluate(app, "properties.siteConfig.appSettings")).Cast<Dictionary<string, object?>>();
        // Kanbatte:Cors:Origins, an array: the indexes must run 0, 1, 2... with no gap, as configuration binds them.
        var origins = settings.Where(s => ((string)s["name"]!).StartsWith("Kanbatte__Cors__Origins__", StringComparison.Ordinal)).ToList();
        Assert.Equal(Enumerable.Range(0, origins.Count).Select(i => $"Kanbatte__Cors__Origins__{i}"), origins.Select(s => (string)s["name"]!));
        return origins.Select(s => Describe(s["value"])).ToList();
    }

    private static List<string> SignalROrigins(ArmTemplate template)
    {
        var (scope, signalR) = Single(template, "Microsoft.SignalRService/signalR");
        return Assert.IsType<List<object?>>(scope.Evaluate(signalR, "properties.cors.allowedOrigins")).Select(Describe).ToList();
    }

    [Fact]
    public void The_web_client_is_a_Free_Static_Web_App_that_azd_deploys_the_web_service_to()
    {
        var template = Deployed();
        var (scope, site) = Single(template, "Microsoft.Web/staticSites");
        Assert.Equal("Free", scope.Evaluate(site, "sku.name"));
        Assert.Equal("Free", scope.Evaluate(site, "sku.tier"));
        Assert.Equal("Custom", scope.Evaluate(site, "properties.provider")); // no linked repository: azd brings the files
        var tags = Assert.IsType<Dictionary<string, object?>>(scope.Evaluate(site, "tags"));
        Assert.Equal("web", tags["azd-service-name"]); // the service key in azure.yaml (DeploymentFilesTests)
        Assert.Equal("dev", tags["azd-env-name"]);
        Assert.StartsWith("stapp-", Describe(scope.Evaluate(site, "name")));
        // Not the API's region: Static Web Apps is offered in a few regions only.
        Assert.Equal("westeurope", scope.Evaluate(site, "location"));
        var (elsewhere, moved) = Single(Deployed(p => p["webLocation"] = "eastus2"), "Microsoft.Web/staticSites");
        Assert.Equal("eastus2", elsewhere.Evaluate(moved, "location"));
        Assert.Equal(Describe(scope.Evaluate(site, "name")), Describe(template.Output("AZURE_STATIC_WEB_APP_NAME")));
    }

    [Fact]
    public void The_web_client_location_is_one_Static_Web_Apps_offers_and_azd_can_set_it()
    {
        var template = JsonNode.Parse(File.ReadAllText(BicepRun.Instance.CompiledPath("infra/main.bicep")))!;
        var parameter = template["parameters"]!["webLocation"]!.AsObject();
        var allowed = parameter["allowedValues"]!.AsArray().Select(v => (string)v!).ToList();
        Assert.Equal(["centralus", "eastasia", "eastus2", "westeurope", "westus2"], allowed.Order(StringComparer.Ordinal));
        Assert.Contains((string)parameter["defaultValue"]!, allowed);

        using var parameters = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Infra, "main.parameters.json")));
        var value = parameters.RootElement.GetProperty("parameters").GetProperty("webLocation").GetProperty("value").GetString();
        Assert.Equal("${KANBATTE_WEB_LOCATION=" + (string)parameter["defaultValue"]! + "}", value);
    }

    [Fact]
    public void The_API_allows_the_web_client_origin_then_the_configured_ones()
    {
        var template = Deployed();
        Assert.Equal([WebOrigin(template), "https://board.example.com", "https://m.example.com"], ApiOrigins(template));
    }

    [Fact]
    public void SignalR_allows_the_same_origins_as_the_API()
    {
        var template = Deployed();
        Assert.Equal([WebOrigin(template), "https://board.example.com", "https://m.example.com"], SignalROrigins(template));
        Assert.Equal(ApiOrigins(template), SignalROrigins(template));
    }

    [Theory]
    [InlineData(null)] // not set in the azd environment: the default
    [InlineData("")]
    [InlineData(" , ")]
    public void Without_configured_origins_only_the_web_client_is_allowed(string? origins)
    {
        var template = Deployed(p => p["corsAllowedOrigins"] = origins);
        Assert.Equal([WebOrigin(template)], ApiOrigins(template));
        Assert.Equal([WebOrigin(template)], SignalROrigins(template));
    }

    [Fact]
    public void The_outputs_hand_the_web_client_hook_the_API_origin_SignalR_and_the_tenants_authority()
    {
        var template = Deployed();
        // The client adds /api itself: API_ORIGIN is API_BASE_URL without it.
        var apiOrigin = Describe(template.Output("API_ORIGIN"));
        Assert.Equal("https://{reference(Microsoft.Web/sites).defaultHostName}", apiOrigin);
        Assert.Equal(apiOrigin + "/api", Describe(template.Output("API_BASE_URL")));

        // The endpoint the function app pushes to is the one browsers connect to.
        var (scope, app) = Single(template, "Microsoft.Web/sites");
        var settings = Assert.IsType<List<object?>>(scope.Evaluate(app, "properties.siteConfig.appSettings"))
            .Cast<Dictionary<string, object?>>().ToDictionary(s => (string)s["name"]!, s => s["value"]);
        Assert.Equal(Describe(settings["Kanbatte__SignalR__Endpoint"]), Describe(template.Output("AZURE_SIGNALR_ENDPOINT")));

        // MSAL's authority is the issuer the API trusts, without the version: the same tenant, the same cloud.
        var issuer = Describe(settings["Authentication__Schemes__Bearer__ValidIssuer"]);
        Assert.Equal("{environment().authentication.loginEndpoint}" + TenantId, Describe(template.Output("AUTH_AUTHORITY")));
        Assert.Equal(issuer, Describe(template.Output("AUTH_AUTHORITY")) + "/v2.0");
        var ownTenant = Deployed(p => p["authTenantId"] = "");
        Assert.Equal("{environment().authentication.loginEndpoint}{tenant().tenantId}", Describe(ownTenant.Output("AUTH_AUTHORITY")));
    }
}
