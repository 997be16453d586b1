using Kanbatte.Application;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kanbatte.Api;

public static class ServiceCollectionExtensions
{
    /// <summary>
    /// The API and the services behind it. A store registration (SQLite or Cosmos DB) completes it, with the host's
    /// <see cref="WritePipeline"/>: how streams are loaded and the steps every append goes through.
    /// </summary>
    public static IServiceCollection AddKanbatteApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(configuration.GetSection("Kanbatte:Paging").Get<PagingOptions>() ?? new PagingOptions());
        services.AddSingleton<Paging>();
        services.AddSingleton(configuration.GetSection(KanbatteAuthOptions.Section).Get<KanbatteAuthOptions>() ?? new KanbatteAuthOptions());
        services.AddSingleton<Identity>();
        services.AddSingleton<StreamStateCache>();
        // Long streams' snapshots, in whichever store the host registers (IStreamSnapshotStore); StreamSnapshotService writes them.
        services.AddSingleton(sp => new StreamSnapshots(sp.GetRequiredService<IStreamSnapshotStore>()));
        services.AddSingleton<ProjectAccess>();
        services.AddSingleton<KanbatteCommands>();
        services.AddSingleton<KanbatteQueries>();
        services.TryAddSingleton(configuration.GetSection(ChangesOptions.Section).Get<ChangesOptions>() ?? new ChangesOptions());
        services.AddSingleton<ChangesFeed>();
        services.AddSingleton<ChangesCursors>();
        // The live projector: the view, then each changed project's changes journal (a rebuild makes one without a journal).
        services.AddSingleton(sp => new Projector(sp.GetRequiredService<IViewStore>(), sp.GetRequiredService<IEventStore>(),
            sp.GetRequiredService<IChangeJournal>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<Idempotency>();
        services.AddSingleton<ApiHandler>();
        services.AddSingleton<MembersApi>();
        services.AddSingleton<MetaApi>();
        services.AddSingleton<ProjectsApi>();
        services.AddSingleton<TasksApi>();
        services.AddSingleton<CommentsApi>();
        services.AddSingleton<FollowupsApi>();
        services.AddSingleton<AdminApi>();
        services.AddSingleton<ChangesApi>();
        return services;
    }
}
