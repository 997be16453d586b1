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
