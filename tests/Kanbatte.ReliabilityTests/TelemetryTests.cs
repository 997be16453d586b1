using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kanbatte.Application;
using Kanbatte.Storage.Sqlite;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kanbatte.ReliabilityTests;

/// <summary>The server's own metrics: appended events by type, a projection lag that returns to zero, and parked events.</summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task Appends_are_counted_by_type_and_the_projection_lag_is_observed()
    {
        using var factory = new KanbatteFactory();
        var client = factory.CreateClient();
        var appended = new Dictionary<string, long>();
        var lags = new List<long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == Kanbatte.Server.Telemetry.MeterName) l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            lock (appended)
            {
                if (instrument.Name == "kanbatte.events.appended")
                    foreach (var tag in tags) appended[(string)tag.Value!] = appended.GetValueOrDefault((string)tag.Value!) + value;
                if (instrument.Name == "kanbatte.projection.lag") lags.Add(value);
            }
        });
        listener.Start();

        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/projects", new { key = "OT", name = "Telemetry" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/projects/OT/tasks", new { title = "Measured" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PatchAsJsonAsync("/api/tasks/OT-001", new { status = "done" })).StatusCode);
        listener.RecordObservableInstruments();

        lock (appended)
        {
            // Other tests in this process may append too (the listener is process-wide): at least ours are there.
            Assert.True(appended.GetValueOrDefault("project_created") >= 1 && appended.GetValueOrDefault("task_created") >= 1 && appended.GetValueOrDefault("task_updated") >= 1,
                "appended: " + string.Join(", ", appended));
            // Writes on this server answer once projected, so right after them nothing of its own is waiting.
            Assert.Contains(0L, lags);
        }
    }

    [Fact]
    public async Task A_parked_event_is_gauged_and_the_gauge_returns_to_zero_after_a_redrive()
    {
        PoisonEventProperties.BreakableView? view = null;
        using var server = new KanbatteFactory();
        // The fault is injected into the view store the feed projection uses. The inline projection builds its own store on
        // the append's transaction, so it is switched off here; a real failure falls back from it to the feed projection
        // (SqliteInlineProjectionTests), which parks the event as below.
        using var factory = server.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
        {
            s.AddSingleton<IViewStore>(sp => view = new PoisonEventProperties.BreakableView(new SqliteViewStore(sp.GetRequiredService<SqliteDatabase>())));
            s.AddSingleton(sp => new WritePipeline(sp.GetRequiredService<IEventStore>(), TimeProvider.System, LoadOption.AnyCachedValue, sp.GetRequiredService<StreamStateCache>(),
                inTransaction: [], afterCommit: [sp.GetRequiredService<Kanbatte.Server.KanbatteMetrics>(), sp.GetRequiredService<ReadYourWrites>()]));
        }));
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/projects", new { key = "PK", name = "Parked" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/projects/PK/tasks", new { title = "Poisoned" })).StatusCode);

        // This server's own gauge: other servers in this test process have meters of the same name.
        var meter = factory.Services.GetRequiredService<Kanbatte.Server.KanbatteMetrics>().Meter;
        long parked = -1; // -1: not reported yet
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == meter && instrument.Name == "kanbatte.projection.parked") l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Exchange(ref parked, value));
        listener.Start();

        async Task GaugeReachesAsync(long expected)
        {
            // The gauge reads a cached count and re-counts in the background: collect until it shows the change.
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (true)
            {
                listener.RecordObservableInstruments();
                if (Interlocked.Read(ref parked) == expected) return;
                Assert.True(DateTime.UtcNow < deadline, $"kanbatte.projection.parked stayed {parked} (-1: unreported), expected {expected}");
                await Task.Delay(50);
            }
        }

        await GaugeReachesAsync(0);
        view!.Broken.Add("task:PK-001"); // the projector now fails on this stream, as a bug in its projection would
        Assert.Equal(HttpStatusCode.OK, (await client.PatchAsJsonAsync("/api/tasks/PK-001", new { status = "done" })).StatusCode);
        await GaugeReachesAsync(1);
        var listed = await (await client.GetAsync("/api/admin/dead-letters")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, listed.GetProperty("count").GetInt32());

        view.Broken.Clear(); // the fix
        var redrive = await (await client.PostAsync("/api/admin/dead-letters/redrive", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, redrive.GetProperty("applied").GetInt32());
        await GaugeReachesAsync(0);
        var task = await (await client.GetAsync("/api/tasks/PK-001")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("done", task.GetProperty("status").GetString());
    }
}
