using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

namespace Kanbatte.Functions.StandIn;

/// <summary>
/// Stand-in for Microsoft.Azure.Functions.Worker.Extensions.CosmosDB's trigger, compiled only when that package cannot
/// be restored (the default build here). The worker SDK names a binding after the attribute's class and takes its
/// constructor arguments and set properties, so this same-shape class yields the same functions.metadata
/// (<c>"type": "cosmosDBTrigger"</c>). It carries no ExtensionInformation, so such a build can never be published.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
[BindingCapabilities(KnownBindingCapabilities.FunctionLevelRetry)] // as the official trigger: it supports function-level retry
public sealed class CosmosDBTriggerAttribute(string databaseName, string containerName) : TriggerBindingAttribute
{
    public string DatabaseName { get; } = databaseName;
    public string ContainerName { get; } = containerName;
    public string? Connection { get; set; }
    public string? LeaseContainerName { get; set; }
    public string? LeaseDatabaseName { get; set; }
    public string? LeaseConnection { get; set; }
    public bool CreateLeaseContainerIfNotExists { get; set; }
    public int LeasesContainerThroughput { get; set; }
    public string? LeaseContainerPrefix { get; set; }
    public int FeedPollDelay { get; set; }
    public int LeaseRenewInterval { get; set; }
    public int LeaseAcquireInterval { get; set; }
    public int LeaseExpirationInterval { get; set; }
    public int MaxItemsPerInvocation { get; set; }
    public bool StartFromBeginning { get; set; }
    public string? StartFromTime { get; set; }
    public string? PreferredLocations { get; set; }
}
