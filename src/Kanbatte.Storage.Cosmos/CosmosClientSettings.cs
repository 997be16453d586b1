using Microsoft.Azure.Cosmos;

namespace Kanbatte.Storage.Cosmos;

/// <summary>The few client settings a deployment may change (<c>Kanbatte:Cosmos:Client</c>); everything else keeps the SDK's defaults.</summary>
public sealed class CosmosClientSettings
{
    /// <summary>Direct (the SDK's default) or Gateway (the emulator behind a firewall or in a container).</summary>
    public ConnectionMode? ConnectionMode { get; set; }

    /// <summary>Use only the configured endpoint, not the account's other regions (the emulator).</summary>
    public bool? LimitToEndpoint { get; set; }

    /// <summary>The Azure region the app runs in, so reads go to the nearest replica.</summary>
    public string? ApplicationRegion { get; set; }

    public void ApplyTo(CosmosClientOptions options)
    {
        if (ConnectionMode is { } mode) options.ConnectionMode = mode;
        if (LimitToEndpoint is { } limit) options.LimitToEndpoint = limit;
        if (!string.IsNullOrEmpty(ApplicationRegion)) options.ApplicationRegion = ApplicationRegion;
    }
}
