using System.Diagnostics.Metrics;
using Kanbatte.Application;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;

namespace Kanbatte.Server;

/// <summary>
/// Metrics and structured logs through OpenTelemetry: events appended (by type), projection lag (events appended but not
/// yet in the view), events parked in the dead letters, and request latencies (ASP.NET Core's own <c>http.server.request.duration</c>). Nothing is exported
/// unless configured: <c>Kanbatte:Telemetry:Exporter</c> = <c>console</c>, or <c>otlp</c> (endpoint from the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>), so no data leaves the machine unless an operator points it somewhere.
/// </summary>
public static class Telemetry
{
    public const string MeterName = "Kanbatte";

    public static WebApplicationBuilder AddKanbatteTelemetry(this WebApplicationBuilder builder)
    {
        var exporter = builder.Configuration["Kanbatte:Telemetry:Exporter"]?.ToLowerInvariant() ?? "none";
        if (exporter is not ("none" or "console" or "otlp"))
            throw new InvalidOperationException($"Kanbatte:Telemetry:Exporter must be none, console or otlp, not '{exporter}'.");

        builder.Services.AddSingleton<KanbatteMetrics>();
        builder.Services.AddSingleton<ParkedEventCount>(sp => new ParkedEventCount(
            sp.GetRequiredKeyedService<IDeadLetterStore>(DeadLetterStore), sp.GetService<TimeProvider>() ?? TimeProvider.System, sp.GetRequiredService<ILogger<ParkedEventCount>>()));
        DecorateDeadLetterStore(builder.Services);

        var otel = builder.Services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel");
            if (exporter == "console") metrics.AddConsoleExporter();
            if (exporter == "otlp") metrics.AddOtlpExporter();
        });
        if (exporter != "none")
        {
            builder.Logging.AddOpenTelemetry(logs =>
            {
                logs.IncludeFormattedMessage = true;
                logs.IncludeScopes = true;
                if (exporter == "console") logs.AddConsoleExporter();
                if (exporter == "otlp") logs.AddOtlpExporter();
            });
        }
        return builder;
    }

    /// <summary>
    /// Wraps the store's dead letters, so parking and re-driving refresh the parked gauge at once. The undecorated store
    /// is kept under <see cref="DeadLetterStore"/> for the gauge's own count.
    /// </summary>
    private static void DecorateDeadLetterStore(IServiceCollection services)
    {
        var inner = Registered<IDeadLetterStore>(services);
        services.Remove(inner);
        services.AddKeyedSingleton<IDeadLetterStore>(DeadLetterStore, (sp, _) => Resolve<IDeadLetterStore>(sp, inner));
        services.AddSingleton<IDeadLetterStore>(sp => new ObservedDeadLetterStore(
            sp.GetRequiredKeyedService<IDeadLetterStore>(DeadLetterStore), sp.GetRequiredService<ParkedEventCount>()));
    }

    private const string DeadLetterStore = "undecorated";

    private static ServiceDescriptor Registered<T>(IServiceCollection services) =>
        services.LastOrDefault(d => d.ServiceType == typeof(T) && !d.IsKeyedService)
        ?? throw new InvalidOperationException("Register a store before telemetry.");

    private static T Resolve<T>(IServiceProvider sp, ServiceDescriptor descriptor) => (T)(
        descriptor.ImplementationInstance
        ?? descriptor.ImplementationFactory?.Invoke(sp)
        ?? ActivatorUtilities.CreateInstance(sp, descriptor.ImplementationType!));
}

/// <summary>
/// The instruments of the <see cref="Telemetry.MeterName"/> meter. It is also a step of the write pipeline: every append
/// is counted once it has committed, whatever the store.
/// </summary>
public sealed class KanbatteMetrics : IAfterCommitStep, IDisposable
{
    private readonly Meter _meter = new(Telemetry.MeterName);
    private readonly Counter<long> _appended;
    private long _lastAppended;

    public KanbatteMetrics(IServiceProvider services)
    {
        _appended = _meter.CreateCounter<long>("kanbatte.events.appended", "{event}", "Events appended to the log.");
        var parked = services.GetRequiredService<ParkedEventCount>();
        _meter.CreateObservableGauge("kanbatte.projection.parked", parked.Observe, "{event}",
            "Events the projector could not apply, parked in the dead letters until a re-drive applies them.");
        // In-process projection only (the self-hosted server); the Azure host's change feed reports its own lag.
        if (services.GetService<ProjectionProgress>() is { } progress)
            _meter.CreateObservableGauge("kanbatte.projection.lag", () => Math.Max(0, Volatile.Read(ref _lastAppended) - progress.Projected),
                "{event}", "Events this server appended that the projector has not yet applied to the view.");
    }

    /// <summary>This instance's meter (several servers in one test process each have their own).</summary>
    public Meter Meter => _meter;

    public Task AfterCommitAsync(IReadOnlyList<EventEnvelope> appended, long position, CancellationToken ct)
    {
        Appended(appended, position);
        return Task.CompletedTask;
    }

    public void Appended(IReadOnlyList<EventEnvelope> events, long position)
    {
        foreach (var e in events) _appended.Add(1, new KeyValuePair<string, object?>("type", e.Type));
        // Positions only grow; keep the highest seen (appends complete out of order under concurrency).
        for (var seen = Volatile.Read(ref _lastAppended); position > seen; seen = Volatile.Read(ref _lastAppended))
            if (Interlocked.CompareExchange(ref _lastAppended, position, seen) == seen) break;
    }

    public void Dispose() => _meter.Dispose();
}
