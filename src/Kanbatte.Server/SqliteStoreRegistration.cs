using Kanbatte.Api;
using Kanbatte.Application;
using Kanbatte.Storage.Sqlite;

namespace Kanbatte.Server;

public static class SqliteStoreRegistration
{
    /// <summary>The embedded store (<c>Kanbatte:Sqlite</c>), its feed-driven projector (parking failing events), and read-your-writes for clients.</summary>
    public static IServiceCollection AddSqliteStore(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection("Kanbatte:Sqlite").Get<SqliteOptions>() ?? new SqliteOptions();
        // The server checkpoints the WAL in the background (WalCheckpointService below) unless told otherwise.
        options.BackgroundCheckpoints = configuration.GetValue("Kanbatte:Sqlite:BackgroundCheckpoints", true);
        services.AddSingleton(_ => new SqliteDatabase(options));
        services.AddSingleton<SqliteEventStore>();
        services.AddSingleton<IEventStore>(sp => sp.GetRequiredService<SqliteEventStore>());
        services.AddSingleton<IEventFeed>(sp => sp.GetRequiredService<SqliteEventStore>());
        services.AddSingleton<IViewStore, SqliteViewStore>();
        services.AddSingleton<ICheckpointStore, SqliteCheckpointStore>();
        services.AddSingleton<ICounterStore, SqliteCounterStore>();
        services.AddSingleton<IChangeJournal, SqliteChangeJournal>();
        services.AddSingleton<IDeadLetterStore, SqliteDeadLetterStore>();
        services.AddSingleton<ITransientErrorPolicy, SqliteTransientErrors>();
        services.AddSingleton<ResilientProjector>();
        services.AddSingleton<IBatchProjection>(sp => sp.GetRequiredService<ResilientProjector>());
        services.AddSingleton<IIdempotencyStore, SqliteIdempotencyStore>();
        services.AddSingleton(sp => new SqliteSnapshotStore(sp.GetRequiredService<SqliteDatabase>(), logger: sp.GetRequiredService<ILogger<SqliteSnapshotStore>>()));
        services.AddSingleton<ISnapshotStore>(sp => sp.GetRequiredService<SqliteSnapshotStore>());
        services.AddSingleton<IStreamSnapshotStore, SqliteStreamSnapshotStore>();
        services.AddSingleton<ProjectionProgress>();
        services.AddSingleton<InlineProjection>();
        services.AddSingleton<ReadYourWrites>();

        // The write path (README, "Where a write goes"): every command runs through this pipeline.
        services.AddSingleton(sp => new WritePipeline(
            sp.GetRequiredService<IEventStore>(), sp.GetRequiredService<TimeProvider>(),
            // Every write to the embedded file goes through this process, so cached stream states are current: decide on
            // them without reading first (a conflict from another writer of the file still makes the command read).
            LoadOption.AnyCachedValue, sp.GetRequiredService<StreamStateCache>(),
            inTransaction:
            [
                sp.GetRequiredService<InlineProjection>(),    // event, view documents, changes journal and checkpoint commit together
            ],
            afterCommit:
            [
                sp.GetRequiredService<KanbatteMetrics>(),     // kanbatte.events.appended
                sp.GetRequiredService<ReadYourWrites>(),      // when the view was behind: wait (bounded) for the feed projection
            ],
            // A state not in the cache is loaded from the stream's snapshot and the events after it (StreamSnapshotService writes them).
            snapshots: sp.GetRequiredService<StreamSnapshots>()));
        // The feed projection (what inline projection left), telling clients through ProjectNotifications as inline projection does.
        services.AddSingleton<FeedProjection>();
        services.AddHostedService<ProjectorService>();
        services.AddHostedService<SnapshotService>();  // board snapshots for time travel, taken beside the writers
        services.AddHostedService<StreamSnapshotService>(); // the stream snapshots the pipeline offered, written in batches
        if (options.BackgroundCheckpoints) services.AddHostedService<WalCheckpointService>(); // the WAL copied beside the writers too
        services.AddHostedService<RetentionService>(); // idempotency keys after a day, changes journal entries after the retention
        return services;
    }
}
