using Kanbatte.Api;
using Kanbatte.Application;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;

namespace Kanbatte.Server;

/// <summary>The server's push channel: ASP.NET Core SignalR in process, fed by the projections through <see cref="ProjectNotifications"/>.</summary>
public static class PushRegistration
{
    public static IServiceCollection AddKanbattePush(this IServiceCollection services)
    {
        services.AddSingleton<ProjectNotifications>();
        services.AddSingleton<IChangeNotifier>(sp => sp.GetRequiredService<ProjectNotifications>());
        services.AddSingleton<ChangeMessages>();
        services.AddSignalR();
        services.AddSingleton<HubConnections>();
        services.AddSingleton<IUserIdProvider, CallerUserIds>();
        services.AddHostedService<HubNotifier>();
        // access_token leaves the query before the request is logged; only the hub's path keeps it (for JwtBearer).
        services.AddSingleton<IHttpContextFactory, HubTokenRedaction>();
        return services;
    }

    /// <summary><c>/api/hub</c> (and SignalR's <c>/api/hub/negotiate</c>), for members with a valid token; a connection ends when its token expires.</summary>
    public static IEndpointRouteBuilder MapKanbatteHub(this IEndpointRouteBuilder app)
    {
        app.MapHub<KanbatteHub>("/" + ApiRoutes.Prefix + "/" + ApiRoutes.Hub, options => options.CloseOnAuthenticationExpiration = true)
            .RequireAuthorization();
        return app;
    }
}
