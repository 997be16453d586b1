using System.Reflection;
using System.Text.Json;
using Kanbatte.Functions;
using Kanbatte.Storage.Cosmos;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Kanbatte.Azure.Tests;

/// <summary>The functions.metadata the worker SDK generated at build time: what the Functions host will actually serve.</summary>
public sealed class FunctionsMetadataTests
{
    private static readonly Lazy<JsonElement[]> Functions = new(() =>
    {
        var folder = typeof(FunctionsMetadataTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "FunctionsOutput").Value!;
        var path = Path.Combine(folder, "functions.metadata");
        Assert.True(File.Exists(path), $"{path} is missing: build src/Kanbatte.Functions first.");
        return JsonSerializer.Deserialize<JsonElement[]>(File.ReadAllText(path))!;
    });

    private static IEnumerable<JsonElement> HttpFunctions => Functions.Value.Where(f => Trigger(f).GetProperty("type").GetString() == "httpTrigger");

    private static JsonElement Trigger(JsonElement function) =>
        function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));

    /// <summary>The host's route prefix from the host.json shipped beside the metadata ("api" when unset, as the host defaults).</summary>
    private static string RoutePrefix()
    {
        var folder = typeof(FunctionsMetadataTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "FunctionsOutput").Value!;
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "host.json")));
        return host.RootElement.TryGetProperty("extensions", out var e) && e.TryGetProperty("http", out var h) && h.TryGetProperty("routePrefix", out var p)
            ? p.GetString()! : "api";
    }

    [Fact]
    public void The_function_apps_routes_and_methods_are_the_servers()
    {
        var prefix = RoutePrefix();
        var declared = HttpFunctions
            .SelectMany(f => Trigger(f).GetProperty("methods").EnumerateArray().Select(m => $"{m.GetString()!.ToUpperInvariant()} /{prefix}/{Trigger(f).GetProperty("route").GetString()}"))
            .Order(StringComparer.Ordinal).ToList();
        // OPTIONS is the browsers' preflight, which the worker's middleware answers (the host routes to the worker only the
        // methods a function declares); the server answers it in its CORS middleware, before any route.
        var functions = declared.Where(r => !r.StartsWith("OPTIONS ", StringComparison.Ordinal)).ToList();

        Assert.Equal(ServerRoutes(), functions);
        Assert.True(functions.Count >= 11, string.Join(", ", functions));
        Assert.Equal(functions.Count, functions.Distinct().Count());
    }

    [Fact]
    public void Every_route_takes_a_preflight_through_exactly_one_function()
    {
        var prefix = RoutePrefix();
        var byRoute = HttpFunctions.GroupBy(f => Trigger(f).GetProperty("route").GetString()!).ToList();
        Assert.True(byRoute.Count >= 11);
        foreach (var route in byRoute)
        {
            var preflights = route.Count(f => Trigger(f).GetProperty("methods").EnumerateArray().Any(m => m.GetString() == "options"));
            Assert.True(preflights == 1, $"/{prefix}/{route.Key}: {preflights} functions declare OPTIONS (a route needs exactly one, or the host answers preflights 404 itself or cannot choose)");
        }
    }

    [Fact]
    public void No_HTTP_function_asks_the_host_for_a_function_key()
    {
        // Callers bring a bearer token, which the worker validates; the host asks for no key (no web or mobile app can keep one).
        // authLevel must be written out: a trigger without it gets the host's default, Function.
        var levels = HttpFunctions
            .Select(f => (Name: f.GetProperty("name").GetString()!, Level: Trigger(f).TryGetProperty("authLevel", out var l) ? l.GetString() : null))
            .ToList();
        Assert.True(levels.Count >= 11, string.Join(", ", levels.Select(l => l.Name)));
        Assert.All(levels, l => Assert.Equal((l.Name, "Anonymous"), (l.Name, l.Level)));
    }

    [Fact]
    public void The_projector_is_triggered_by_the_event_logs_change_feed()
    {
        var projector = Assert.Single(Functions.Value, f => f.GetProperty("name").GetString() == ProjectEventsFunction.Name);
        var trigger = Trigger(projector);

        Assert.Equal("cosmosDBTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("In", trigger.GetProperty("direction").GetString());
        Assert.Equal(CosmosOptions.Names.Database, trigger.GetProperty("databaseName").GetString());
        Assert.Equal(CosmosOptions.Names.EventLog, trigger.GetProperty("containerName").GetString());
        Assert.Equal(CosmosOptions.Names.Leases, trigger.GetProperty("leaseContainerName").GetString());
        Assert.Equal(CosmosOptions.ConnectionSetting, trigger.GetProperty("connection").GetString());
        Assert.Equal(ProjectEventsFunction.LeasePrefix, trigger.GetProperty("leaseContainerPrefix").GetString());
        // The lease container comes from the infrastructure: identity-based connections cannot create it.
        Assert.False(trigger.TryGetProperty("createLeaseContainerIfNotExists", out var create) && create.GetBoolean());

        var retry = projector.GetProperty("retry");
        Assert.Equal("exponentialBackoff", retry.GetProperty("strategy").GetString());
        // Forever: after a policy's last attempt the trigger checkpoints past the batch, and what it had not written is lost.
        Assert.Equal(-1, retry.GetProperty("maxRetryCount").GetInt32());
    }

    [Fact]
    public void Every_function_is_http_or_the_projector()
    {
        var names = Functions.Value.Select(f => f.GetProperty("name").GetString()!).ToList();
        Assert.Equal(HttpFunctions.Count() + 1, names.Count);
        Assert.Contains(ProjectEventsFunction.Name, names);
    }

    /// <summary>The server's routes, read from its endpoint data source: "METHOD /path" for each method of each endpoint.</summary>
    private static List<string> ServerRoutes()
    {
        var folder = Directory.CreateTempSubdirectory("kanbatte-routes-");
        try
        {
            using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseSetting("Kanbatte:Sqlite:Path", Path.Combine(folder.FullName, "k.db")));
            return Testing.ServerRoutes.Of(factory.Services.GetRequiredService<EndpointDataSource>(), missingMethods: "none")
                .Select(r => $"{r.Method} {r.Template}").Order(StringComparer.Ordinal).ToList();
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }
}
