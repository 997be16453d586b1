using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;

namespace Kanbatte.Testing;

/// <summary>
/// The self-hosted server's routes as (method, <c>/api/...</c> template), from its own endpoint table. SignalR's hub
/// endpoints declare no methods: its negotiate endpoint is read as the POST its protocol is, and the connection
/// endpoint itself (WebSockets, server-sent events, long polling) is left out, as it is no operation of the API.
/// </summary>
public static class ServerRoutes
{
    public static IReadOnlyList<(string Method, string Template)> Of(EndpointDataSource endpoints, string missingMethods = "*") =>
        endpoints.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HubMetadata>() is null || e.Metadata.GetMetadata<NegotiateMetadata>() is not null)
            .SelectMany(e => (e.Metadata.GetMetadata<NegotiateMetadata>() is not null ? ["POST"] : e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [missingMethods])
                .Select(m => (m, "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            .ToList();
}
