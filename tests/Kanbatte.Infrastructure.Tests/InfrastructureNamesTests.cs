using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kanbatte.Storage.Cosmos;

namespace Kanbatte.Infrastructure.Tests;

/// <summary>
/// The names the infrastructure creates (compiled ARM of infra/main.bicep) are exactly the names the code reads
/// (<see cref="CosmosOptions"/>): database, containers, partition keys, and the app settings that carry them.
/// </summary>
public sealed class InfrastructureNamesTests(CompiledTemplate compiled) : IClassFixture<CompiledTemplate>
{
    private const string ContainerType = "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers";
    private const string DatabaseType = "Microsoft.DocumentDB/databaseAccounts/sqlDatabases";

    /// <summary>(container name, partition key path) per container the code names, paired by constant name.</summary>
    private static IReadOnlyDictionary<string, string> CodeContainers()
    {
        var names = Constants(typeof(CosmosOptions.Names)).Where(c => c.Key != nameof(CosmosOptions.Names.Database)).ToDictionary();
        var keys = Constants(typeof(CosmosOptions.PartitionKeys));
        Assert.Equal(names.Keys.Order(), keys.Keys.Order()); // every container has a partition key, nothing more
        return names.ToDictionary(n => n.Value, n => keys[n.Key]);
    }

    private static Dictionary<string, string> Constants(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .ToDictionary(f => f.Name, f => (string)f.GetRawConstantValue()!);

    private IEnumerable<(ArmTemplate Scope, JsonObject Resource)> Created(string type) =>
        compiled.Main.AllResources().Where(r => ArmTemplate.Type(r.Resource) == type && !ArmTemplate.IsExisting(r.Resource));

    private Dictionary<string, object?> AppSettings()
    {
        var (scope, app) = Assert.Single(Created("Microsoft.Web/sites"));
        var settings = (List<object?>)scope.Evaluate(app, "properties.siteConfig.appSettings")!;
        return settings.Cast<Dictionary<string, object?>>().ToDictionary(s => (string)s["name"]!, s => s["value"]);
    }

    [Fact]
    public void The_database_is_the_one_the_code_reads()
    {
        var (scope, database) = Assert.Single(Created(DatabaseType));
        Assert.Equal(CosmosOptions.Names.Database, scope.Evaluate(database, "properties.resource.id"));
    }

    [Fact]
    public void The_containers_and_partition_keys_are_exactly_the_ones_the_code_reads()
    {
        var created = Created(ContainerType).ToDictionary(
            c => (string)c.Scope.Evaluate(c.Resource, "properties.resource.id")!,
            c => Assert.Single((List<object?>)c.Scope.Evaluate(c.Resource, "properties.resource.partitionKey.paths")!));
        Assert.Equal(CodeContainers().OrderBy(c => c.Key), created.OrderBy(c => c.Key).Select(c => KeyValuePair.Create(c.Key, (string)c.Value!)));

        // Each lives in the code's database: its full name is <account>/<database>/<container>.
        Assert.NotEmpty(created);
        foreach (var (scope, container) in Created(ContainerType))
        {
            var id = (string)scope.Evaluate(container, "properties.resource.id")!;
            var name = scope.Evaluate(container, "name") switch { Opaque o => o.Description, var v => (string)v! };
            Assert.EndsWith($"/{CosmosOptions.Names.Database}/{id}", name);
        }
    }

    [Fact]
    public void The_change_feed_trigger_lease_container_exists_with_partition_key_id()
    {
        var trigger = TriggerAttribute.Find();
        var leases = trigger.LeaseContainer;
        Assert.Equal(CosmosOptions.Names.Database, trigger.Database);
        Assert.Equal(CosmosOptions.Names.Database, trigger.LeaseDatabase);

        var created = Created(ContainerType).ToDictionary(
            c => (string)c.Scope.Evaluate(c.Resource, "properties.resource.id")!,
            c => (List<object?>)c.Scope.Evaluate(c.Resource, "properties.resource.partitionKey.paths")!);
        Assert.True(created.ContainsKey(leases), $"lease container '{leases}' is not created; containers: {string.Join(", ", created.Keys)}");
        Assert.Equal(["/id"], created[leases]); // the trigger requires /id on the lease container
        Assert.True(created.ContainsKey(trigger.MonitoredContainer), $"monitored container '{trigger.MonitoredContainer}' is not created");
        Assert.Equal(CosmosOptions.ConnectionSetting, trigger.Connection);
        Assert.Equal(CosmosOptions.ConnectionSetting, trigger.LeaseConnection);
        // An identity-based connection cannot create containers: the lease container must come from here.
        Assert.False(trigger.CreatesLeaseContainer, "the trigger must not try to create its lease container");
    }

    [Fact]
    public void Every_Cosmos_resource_name_option_has_an_app_setting_with_the_code_default()
    {
        var settings = AppSettings();
        var prefix = CosmosOptions.Section.Replace(":", "__", StringComparison.Ordinal) + "__";
        var defaults = new CosmosOptions();
        // The options that name a resource: their defaults are the Names constants (Database, *Container).
        var resourceNames = Constants(typeof(CosmosOptions.Names)).Values.ToHashSet();
        Assert.NotEmpty(resourceNames);
        var properties = typeof(CosmosOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.PropertyType == typeof(string) && p.CanWrite && resourceNames.Contains((string)p.GetValue(defaults)!))
            .ToList();
        Assert.Equal(resourceNames.Count, properties.Count); // one option per name

        foreach (var property in properties)
        {
            var name = prefix + property.Name;
            Assert.True(settings.ContainsKey(name), $"app setting {name} is missing");
            Assert.Equal(property.GetValue(defaults), settings[name]);
        }
        // No setting under the section that the options class does not bind (a typo would be silently ignored).
        var bindable = typeof(CosmosOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => p.Name);
        var unbound = settings.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
            .Select(k => k[prefix.Length..]).Except(bindable, StringComparer.OrdinalIgnoreCase);
        Assert.Empty(unbound);
    }

    [Fact]
    public void The_idempotency_container_forgets_responses_when_the_API_says()
    {
        var (scope, container) = Assert.Single(Created(ContainerType),
            c => c.Scope.Evaluate(c.Resource, "properties.resource.id") as string == CosmosOptions.Names.Idempotency);
        Assert.Equal((long)Kanbatte.Api.Idempotency.Retention.TotalSeconds, scope.Evaluate(container, "properties.resource.defaultTtl"));
    }

    [Fact]
    public void The_Cosmos_connection_is_identity_based_and_points_at_the_account_created_here()
    {
        var settings = AppSettings();
        var endpoint = CosmosOptions.ConnectionSetting + "__accountEndpoint";
        Assert.True(settings.ContainsKey(endpoint), $"app setting {endpoint} is missing");
        var source = Assert.IsType<Opaque>(settings[endpoint]).Description;
        Assert.Equal("reference(Microsoft.DocumentDB/databaseAccounts).documentEndpoint", source);

        // A setting named exactly like the connection would be a connection string, i.e. a key.
        Assert.DoesNotContain(CosmosOptions.ConnectionSetting, settings.Keys);
        Assert.DoesNotContain(settings.Values.OfType<string>(), v => v.Contains("AccountKey=", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("Cosmos", settings["Kanbatte__Store"]);
    }

    [Fact]
    public void The_host_storage_is_identity_based_and_the_runtime_is_dotnet_isolated_10()
    {
        var settings = AppSettings();
        Assert.True(settings.ContainsKey("AzureWebJobsStorage__accountName"));
        Assert.DoesNotContain("AzureWebJobsStorage", settings.Keys);
        // Flex Consumption rejects the worker runtime as an app setting; it is functionAppConfig.runtime.
        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME", settings.Keys);
        Assert.True(settings.ContainsKey("APPLICATIONINSIGHTS_CONNECTION_STRING"));

        var (scope, app) = Assert.Single(Created("Microsoft.Web/sites"));
        Assert.Equal("dotnet-isolated", scope.Evaluate(app, "properties.functionAppConfig.runtime.name"));
        Assert.Equal("10.0", scope.Evaluate(app, "properties.functionAppConfig.runtime.version"));
    }

    [Fact]
    public void The_API_base_URL_output_uses_the_host_route_prefix()
    {
        // host.json extensions.http.routePrefix, "api" when absent (the Functions host default).
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "host.json")), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var prefix = host.RootElement.TryGetProperty("extensions", out var extensions) && extensions.TryGetProperty("http", out var http)
            && http.TryGetProperty("routePrefix", out var routePrefix) ? routePrefix.GetString() : "api";

        var url = Assert.IsType<Opaque>(compiled.Main.Output("API_BASE_URL")).Description;
        Assert.Equal($"https://{{reference(Microsoft.Web/sites).defaultHostName}}/{prefix}", url);
        // azd reads the outputs by these names (UPPER_SNAKE); the app name reaches main through the module output.
        Assert.StartsWith("func-", Assert.IsType<Opaque>(compiled.Main.Output("AZURE_FUNCTION_APP_NAME")).Description);
    }
}
