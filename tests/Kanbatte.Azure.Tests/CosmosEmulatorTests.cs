using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kanbatte.Application;
using Kanbatte.Storage.Cosmos;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using Kanbatte.Testing;

namespace Kanbatte.Azure.Tests;

/// <summary>
/// What only a real Cosmos DB can show: the change feed processor projecting writes (the server's Cosmos path, the same
/// projector the function's trigger runs) and multi-event appends in a TransactionalBatch. Each test uses its own database.
/// </summary>
public sealed class CosmosEmulatorTests
{
    private static string ConnectionString => $"AccountEndpoint={CosmosEmulatorFactAttribute.Endpoint};AccountKey={CosmosEmulatorFactAttribute.Key}";

    /// <summary>The emulator's certificate is self-signed; only a loopback endpoint is exempted from validation.</summary>
    private static CosmosClientOptions Configure(CosmosClientOptions options)
    {
        options.UseSystemTextJsonSerializerWithOptions ??= KanbatteJson.Options;
        options.ConnectionMode = ConnectionMode.Gateway;
        var host = new Uri(CosmosEmulatorFactAttribute.Endpoint!).Host;
        if (host is "localhost" or "127.0.0.1")
        {
            options.LimitToEndpoint = true;
            options.ServerCertificateCustomValidationCallback = (_, _, _) => true;
        }
        return options;
    }

    [CosmosEmulatorFact]
    public async Task The_change_feed_processor_projects_writes_into_the_view()
    {
        var database = "cf" + Guid.NewGuid().ToString("N")[..10];
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Kanbatte:Store", "Cosmos");
            b.UseSetting("KanbatteCosmos", ConnectionString);
            b.UseSetting("Kanbatte:Cosmos:Database", database);
            b.UseSetting("Kanbatte:Cosmos:CreateIfNotExists", "true");
            b.UseSetting("Kanbatte:Cosmos:FeedPollDelayMs", "200");
            b.UseTestIssuer();
            b.ConfigureTestServices(s => s.PostConfigure<CosmosClientOptions>(o => Configure(o)));
        });
        try
        {
            var client = factory.CreateClient().WithToken();
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/projects", new { key = "CF", name = "Change feed" })).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/projects/CF/tasks", new { title = "Projected?" })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.PatchAsJsonAsync("/api/tasks/CF-001", new { status = "done" })).StatusCode);

            var deadline = DateTime.UtcNow.AddSeconds(60);
            JsonElement task = default;
            while (DateTime.UtcNow < deadline)
            {
                var response = await client.GetAsync("/api/tasks/CF-001");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    task = await response.Content.ReadFromJsonAsync<JsonElement>();
                    if (task.GetProperty("status").GetString() == "done") break;
                }
                await Task.Delay(250);
            }
            Assert.Equal("done", task.ValueKind == JsonValueKind.Object ? task.GetProperty("status").GetString() : "not projected within 60 s");

            // The same processor copies the events into the project log, which the activity page reads.
            var types = new List<string?>();
            while (DateTime.UtcNow < deadline && types.Count < 3)
            {
                var activity = await client.GetFromJsonAsync<JsonElement>("/api/projects/CF/activity");
                types = activity.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();
                if (types.Count < 3) await Task.Delay(250);
            }
            Assert.Equal(["task_updated", "task_created", "project_created"], types);
        }
        finally
        {
            using var admin = new CosmosClient(ConnectionString, Configure(new CosmosClientOptions()));
            using var _ = await admin.GetDatabase(database).DeleteStreamAsync();
        }
    }

    [CosmosEmulatorFact]
    public async Task Multi_event_appends_are_one_transactional_batch()
    {
        var database = "tb" + Guid.NewGuid().ToString("N")[..10];
        using var client = new CosmosClient(ConnectionString, Configure(new CosmosClientOptions()));
        var containers = new CosmosContainers(client, new CosmosOptions { Database = database });
        await containers.CreateIfNotExistsAsync();
        try
        {
            var store = new CosmosEventStore(containers);
            EventEnvelope Event(int version) => new("task:TB-001", version, "task_updated", 1, JsonSerializer.SerializeToElement(new { n = version }), DateTimeOffset.UtcNow, new EventMetadata("tb"));

            await store.AppendAsync("task:TB-001", 0, [Event(1), Event(2), Event(3)]);
            await Assert.ThrowsAsync<ConcurrencyException>(() => store.AppendAsync("task:TB-001", 1, [Event(2), Event(3)]));
            await Assert.ThrowsAsync<ConcurrencyException>(() => store.AppendAsync("task:TB-001", 5, [Event(6), Event(7)]));
            await store.AppendAsync("task:TB-001", 3, [Event(4), Event(5)]);

            Assert.Equal([1, 2, 3, 4, 5], (await store.ReadStreamAsync("task:TB-001", 1)).Select(e => e.Version));
        }
        finally
        {
            using var _ = await client.GetDatabase(database).DeleteStreamAsync();
        }
    }
}
