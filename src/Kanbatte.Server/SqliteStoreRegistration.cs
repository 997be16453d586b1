using Microsoft.Extensions.DependencyInjection.Extensions;
using Kanbatte.Application;
using Kanbatte.Storage.Sqlite;

namespace Kanbatte.Server;

public static class SqliteStoreRegistration
{
    /// <summary>The embedded store (<c>Kanbatte:Sqlite</c>), its feed-driven projector (parking failing events), and read-your-writes for clients.</summary>
    public static IServiceCollection AddSqliteStore(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection("Kanbatte:Sqlite").Get<SqliteOptions>() ?? new SqliteOptions();
        services.AddSingleton(_ => new SqliteDatabase(options));
        services.AddSingleton<SqliteEventStore>();
        services.AddSingleton<IEventStore>(sp => sp.GetRequiredService<SqliteEventStore>());
        services.AddSingleton<IEventFeed>(sp => sp.GetRequiredService<SqliteEventStore>());
        services.AddSingleton<IViewStore, SqliteViewStore>();
        services.AddSingleton<ICheckpointStore, SqliteCheckpointStore>();
        services.AddSingleton<ICounterStore, SqliteCounterStore>();
        services.AddSingleton<IDeadLetterStore, SqliteDeadLetterStore>();
        services.AddSingleton<ITransientErrorPolicy, SqliteTransientErrors>();
        services.AddSingleton<ResilientProjector>();
        services.AddSingleton<IBatchProjection>(sp => sp.GetRequiredService<ResilientProjector>());
        services.AddSingleton<IIdempotencyStore, SqliteIdempotencyStore>();
        services.AddSingleton(sp => new SqliteSnapshotStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<ISnapshotStore>(sp => sp.GetRequiredService<SqliteSnapshotStore>());
        services.AddSingleton<SqliteInlineProjection>();
        // Every write to the embedded store goes through this process, so its cached stream states are current: commands
        // decide on them without reading first (a conflict from another writer of the file still makes them read).
        services.Replace(ServiceDescriptor.Singleton(new StreamStateCache(trusted: true)));
        services.AddSingleton<ProjectionProgress>();
        services.AddSingleton<IViewConsistency, ReadYourWrites>();
        services.AddSingleton<FeedProjection>();
        services.AddHostedService<ProjectorService>();
        services.AddHostedService<IdempotencyPurgeService>();
        return services;
    }
}
