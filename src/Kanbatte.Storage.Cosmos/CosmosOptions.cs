namespace Kanbatte.Storage.Cosmos;

/// <summary>
/// Names of the Cosmos DB resources Kanbatte uses, bound from configuration section <c>Kanbatte:Cosmos</c>
/// (app settings <c>Kanbatte__Cosmos__Database</c> and so on). The infrastructure (infra/) creates exactly these.
/// </summary>
public sealed class CosmosOptions
{
    public const string Section = "Kanbatte:Cosmos";

    /// <summary>
    /// The connection setting shared by the SDK client and the change-feed trigger: either a connection string
    /// (<c>KanbatteCosmos</c>, the emulator) or an identity-based endpoint (<c>KanbatteCosmos__accountEndpoint</c>, Azure).
    /// </summary>
    public const string ConnectionSetting = "KanbatteCosmos";

    public string Database { get; set; } = Names.Database;
    public string EventLogContainer { get; set; } = Names.EventLog;
    public string ViewContainer { get; set; } = Names.View;
    public string LeasesContainer { get; set; } = Names.Leases;
    public string DeadLetterContainer { get; set; } = Names.DeadLetter;
    public string CountersContainer { get; set; } = Names.Counters;
    public string IdempotencyContainer { get; set; } = Names.Idempotency;
    public string ChangesContainer { get; set; } = Names.Changes;
    public string ProjectLogContainer { get; set; } = Names.ProjectLog;

    /// <summary>Create the database and containers at startup when missing: for the emulator; in Azure the infrastructure owns them.</summary>
    public bool CreateIfNotExists { get; set; }

    /// <summary>The self-hosted server's change feed processor: its lease prefix and poll delay (Functions take theirs from the trigger).</summary>
    public string LeasePrefix { get; set; } = "server-view-";
    public int FeedPollDelayMs { get; set; } = 1000;

    /// <summary>
    /// How often each instance reads the pointer to the active view container again (<see cref="CosmosActiveView"/>):
    /// the longest a switched-over rebuild takes to reach every reader and projector. The rebuild waits twice this long
    /// before its final catch-up, so the app and the operator running the rebuild must use the same value.
    /// </summary>
    public int ActiveViewRefreshMs { get; set; } = 5000;

    /// <summary>
    /// Board snapshots (<see cref="CosmosSnapshotStore"/>): one every max(<see cref="SnapshotEvery"/>, the project's task
    /// count) of a project's events, as on SQLite.
    /// </summary>
    public int SnapshotEvery { get; set; } = CosmosSnapshotStore.DefaultEvery;

    /// <summary>
    /// How old an event must be (by its recorded time) before a board snapshot covers it: events reach the change feed's
    /// leases late and out of order, and one that arrives after a snapshot covering its time deletes that snapshot, so
    /// the lag keeps that rare. It is not what keeps snapshots right (see <see cref="CosmosProjectLog"/>).
    /// </summary>
    public int SnapshotSafetyLagSeconds { get; set; } = (int)CosmosSnapshotStore.DefaultSafetyLag.TotalSeconds;

    /// <summary>Whether the self-hosted server runs the change feed processor; off for API-only instances beside a function app.</summary>
    public bool RunChangeFeedProcessor { get; set; } = true;

    /// <summary>The default names; constants because the trigger attribute needs compile-time values.</summary>
    public static class Names
    {
        public const string Database = "kanbatte";
        public const string EventLog = "event_log";
        public const string View = "view";
        public const string Leases = "leases";
        public const string DeadLetter = "dead_letter";
        public const string Counters = "counters";
        /// <summary>Kept responses of Idempotency-Key requests; items expire after 24 hours (container default TTL).</summary>
        public const string Idempotency = "idempotency";
        /// <summary>Each project's changes journal (the changes feed); items expire by their own time to live.</summary>
        public const string Changes = "changes";
        /// <summary>Each project's copy of its events and its board snapshots (<see cref="CosmosProjectLog"/>).</summary>
        public const string ProjectLog = "project_log";
    }

    /// <summary>Partition key paths, one per container.</summary>
    public static class PartitionKeys
    {
        public const string EventLog = "/streamId";
        public const string View = "/partition";
        public const string Leases = "/id";
        public const string DeadLetter = "/streamId";
        public const string Counters = "/id";
        public const string Idempotency = "/id";
        public const string Changes = "/projectKey";
        public const string ProjectLog = "/projectKey";
    }

    /// <summary>The idempotency container's default time to live: a key is kept 24 hours, then Cosmos DB deletes it.</summary>
    public const int IdempotencyTtlSeconds = 24 * 60 * 60;
}
