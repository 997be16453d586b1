using System.Text.Json.Nodes;

namespace Kanbatte.Infrastructure.Tests;

/// <summary>
/// The compiled template keeps its promise of no keys: storage and Cosmos DB refuse key authentication, and the app's
/// managed identity holds every data role it needs instead. (Whether Azure honours it is only seen after deployment.)
/// </summary>
public sealed class IdentityOnlyAccessTests(CompiledTemplate compiled) : IClassFixture<CompiledTemplate>
{
    private const string AppIdentity = "identity.principalId";

    private (ArmTemplate Scope, JsonObject Resource) Single(string type) =>
        Assert.Single(compiled.Main.AllResources(), r => ArmTemplate.Type(r.Resource) == type && !ArmTemplate.IsExisting(r.Resource));

    private IEnumerable<(ArmTemplate Scope, JsonObject Resource)> All(string type) =>
        compiled.Main.AllResources().Where(r => ArmTemplate.Type(r.Resource) == type && !ArmTemplate.IsExisting(r.Resource));

    private static string Describe(object? value) => value is Opaque o ? o.Description : value?.ToString() ?? "null";

    [Fact]
    public void Storage_refuses_shared_keys_and_public_blobs()
    {
        var (scope, storage) = Single("Microsoft.Storage/storageAccounts");
        Assert.Equal(false, scope.Evaluate(storage, "properties.allowSharedKeyAccess"));
        Assert.Equal(false, scope.Evaluate(storage, "properties.allowBlobPublicAccess"));
        Assert.Equal("TLS1_2", scope.Evaluate(storage, "properties.minimumTlsVersion"));
    }

    [Fact]
    public void Cosmos_DB_is_serverless_and_refuses_keys()
    {
        var (scope, account) = Single("Microsoft.DocumentDB/databaseAccounts");
        Assert.Equal(true, scope.Evaluate(account, "properties.disableLocalAuth"));
        var capabilities = (List<object?>)scope.Evaluate(account, "properties.capabilities")!;
        Assert.Contains(capabilities.Cast<Dictionary<string, object?>>(), c => (string?)c["name"] == "EnableServerless");
    }

    [Fact]
    public void The_function_app_is_Flex_Consumption_HTTPS_only_with_a_system_assigned_identity()
    {
        var (planScope, plan) = Single("Microsoft.Web/serverfarms");
        Assert.Equal("FC1", planScope.Evaluate(plan, "sku.name"));
        Assert.Equal("FlexConsumption", planScope.Evaluate(plan, "sku.tier"));

        var (scope, app) = Single("Microsoft.Web/sites");
        Assert.Equal("SystemAssigned", scope.Evaluate(app, "identity.type"));
        Assert.Equal(true, scope.Evaluate(app, "properties.httpsOnly"));
        Assert.Equal("1.2", scope.Evaluate(app, "properties.siteConfig.minTlsVersion"));
        Assert.Equal("SystemAssignedIdentity", scope.Evaluate(app, "properties.functionAppConfig.deployment.storage.authentication.type"));
    }

    [Theory]
    [InlineData("b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "Microsoft.Storage/storageAccounts")] // Storage Blob Data Owner
    [InlineData("974c5e8b-45b9-4653-ba55-5f855dd0fb88", "Microsoft.Storage/storageAccounts")] // Storage Queue Data Contributor
    [InlineData("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "Microsoft.Storage/storageAccounts")] // Storage Table Data Contributor
    [InlineData("3913510d-42f4-4e42-8a64-420c390055eb", "Microsoft.Insights/components")] // Monitoring Metrics Publisher
    public void The_app_identity_holds_the_data_role(string roleDefinitionId, string scopeType)
    {
        var assignments = All("Microsoft.Authorization/roleAssignments")
            .Where(a => Describe(a.Scope.Evaluate(a.Resource, "properties.roleDefinitionId")).Contains($"Microsoft.Authorization/roleDefinitions, {roleDefinitionId})", StringComparison.Ordinal))
            .ToList();
        var (scope, assignment) = Assert.Single(assignments);
        var principal = Describe(scope.Evaluate(assignment, "properties.principalId"));
        Assert.Contains("Microsoft.Web/sites", principal);
        Assert.EndsWith(AppIdentity, principal);
        Assert.Equal("ServicePrincipal", scope.Evaluate(assignment, "properties.principalType"));
        Assert.Contains(scopeType, Describe(scope.Evaluate(assignment, "scope")));
    }

    [Fact]
    public void The_app_identity_is_a_Cosmos_DB_built_in_data_contributor()
    {
        var forApp = All("Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments")
            .Where(a => Describe(a.Scope.Evaluate(a.Resource, "properties.principalId")).EndsWith(AppIdentity, StringComparison.Ordinal))
            .ToList();
        var (scope, assignment) = Assert.Single(forApp);
        Assert.EndsWith("/sqlRoleDefinitions/00000000-0000-0000-0000-000000000002", Describe(scope.Evaluate(assignment, "properties.roleDefinitionId")));
        Assert.Contains("Microsoft.DocumentDB/databaseAccounts", Describe(scope.Evaluate(assignment, "properties.scope")));
    }
}
