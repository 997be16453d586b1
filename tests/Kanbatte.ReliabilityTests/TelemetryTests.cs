using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using Kanbatte.FunctionalTests;

namespace Kanbatte.ReliabilityTests;

/// <summary>The server's own metrics: appended events by type, and a projection lag that returns to zero.</summary>
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
}
