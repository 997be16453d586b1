using System.Text.Json.Nodes;
using Kanbatte.Functions;
using Kanbatte.Functions.Push;

namespace Kanbatte.Infrastructure.Tests;

/// <summary>
/// The push channel on Azure, as the compiled template deploys it: Azure SignalR Service in serverless mode, keyless,
/// Free unless asked, reachable by the function app's identity through its REST API only, and named to the app; the
/// change-feed trigger polling every second; the projector's always-ready instances off unless asked.
/// </summary>
public sealed class PushSettingsTests(CompiledTemplate compiled) : IClassFixture<CompiledTemplate>
{
    private static readonly Dictionary<string, object?> Deployment = new()
    {
        ["environmentName"] = "dev",
        ["location"] = "swedencentral",
        ["apiClientId"] = "9b0e4d2c-71a3-4f5e-8d6b-2a1c3e5f7091",
        ["corsAllowedOrigins"] = "https://board.example.com,",
    };

    private static (ArmTemplate Scope, JsonObject Resource) Single(ArmTemplate template, string type) =>
        Assert.Single(template.AllResources(), r => ArmTemplate.Type(r.Resource) == type && !ArmTemplate.IsExisting(r.Resource));

    private static string Describe(object? value) => value is Opaque o ? o.Description : value?.ToString() ?? "null";

    private ArmTemplate Deployed(Action<Dictionary<string, object?>>? change = null)
    {
        var parameters = new Dictionary<string, object?>(Deployment);
        change?.Invoke(parameters);
        return compiled.DeployedWith(parameters);
    }

    [Fact]
    public void SignalR_is_serverless_keyless_and_free_unless_asked()
    {
        var template = Deployed();
        var (scope, signalR) = Single(template, "Microsoft.SignalRService/signalR");
        Assert.Equal(true, scope.Evaluate(signalR, "properties.disableLocalAuth"));
        var features = Assert.IsType<List<object?>>(scope.Evaluate(signalR, "properties.features")).Cast<Dictionary<string, object?>>();
        Assert.Contains(features, f => (string?)f["flag"] == "ServiceMode" && (string?)f["value"] == "Serverless");
        Assert.Equal("Free_F1", scope.Evaluate(signalR, "sku.name"));
        Assert.Equal("Free", scope.Evaluate(signalR, "sku.tier"));
        // The web client deployed with it, then the configured origins (WebClientInfrastructureTests).
        var origins = Assert.IsType<List<object?>>(scope.Evaluate(signalR, "properties.cors.allowedOrigins"));
        Assert.Contains("Microsoft.Web/staticSites", Assert.IsType<Opaque>(origins[0]).Description);
        Assert.Equal(["https://board.example.com"], origins.Skip(1));

        var (standardScope, standard) = Single(Deployed(p => p["signalRSku"] = "Standard_S1"), "Microsoft.SignalRService/signalR");
        Assert.Equal(("Standard_S1", "Standard"), (standardScope.Evaluate(standard, "sku.name"), standardScope.Evaluate(standard, "sku.tier")));
    }

    [Fact]
    public void The_app_identity_may_use_the_SignalR_REST_API_and_the_app_knows_the_endpoint()
    {
        var template = Deployed();
        var assignments = template.AllResources()
            .Where(r => ArmTemplate.Type(r.Resource) == "Microsoft.Authorization/roleAssignments" && !ArmTemplate.IsExisting(r.Resource))
            .Where(a => Describe(a.Scope.Evaluate(a.Resource, "properties.roleDefinitionId")).Contains("roleDefinitions, fd53cd77-2268-407a-8f46-7e7863d0f521)", StringComparison.Ordinal))
            .ToList();
        var (scope, assignment) = Assert.Single(assignments); // SignalR REST API Owner
        Assert.EndsWith("identity.principalId", Describe(scope.Evaluate(assignment, "properties.principalId")));
        Assert.Contains("Microsoft.Web/sites", Describe(scope.Evaluate(assignment, "properties.principalId")));
        Assert.Contains("Microsoft.SignalRService/signalR", Describe(scope.Evaluate(assignment, "scope")));

        var (appScope, app) = Single(template, "Microsoft.Web/sites");
        var settings = Assert.IsType<List<object?>>(appScope.Evaluate(app, "properties.siteConfig.appSettings"))
            .Cast<Dictionary<string, object?>>().ToDictionary(s => (string)s["name"]!, s => s["value"]);
        var endpoint = Describe(settings[SignalRServiceOptions.Section.Replace(":", "__", StringComparison.Ordinal) + "__Endpoint"]);
        Assert.StartsWith("https://", endpoint);
        Assert.Contains("hostName", endpoint);
        Assert.DoesNotContain(settings.Keys, k => k.Contains("SignalR", StringComparison.OrdinalIgnoreCase) && k.Contains("ConnectionString", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void The_trigger_polls_every_second_and_the_projector_scales_to_zero_unless_asked()
    {
        Assert.Equal(1000, ProjectEventsFunction.FeedPollDelayMs);
        Assert.Equal(ProjectEventsFunction.FeedPollDelayMs, TriggerAttribute.FeedPollDelay());

        var (scope, app) = Single(Deployed(), "Microsoft.Web/sites");
        Assert.Empty(Assert.IsType<List<object?>>(scope.Evaluate(app, "properties.functionAppConfig.scaleAndConcurrency.alwaysReady")));
        var (warmScope, warm) = Single(Deployed(p => p["projectorAlwaysReadyInstances"] = 1L), "Microsoft.Web/sites");
        var ready = Assert.Single(Assert.IsType<List<object?>>(warmScope.Evaluate(warm, "properties.functionAppConfig.scaleAndConcurrency.alwaysReady")));
        var group = Assert.IsType<Dictionary<string, object?>>(ready);
        Assert.Equal(("function:" + ProjectEventsFunction.Name, 1L), ((string?)group["name"], group["instanceCount"]));
    }
}
