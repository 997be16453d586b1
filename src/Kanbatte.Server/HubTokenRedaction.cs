using Kanbatte.Api;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;

namespace Kanbatte.Server;

/// <summary>
/// Takes <c>access_token</c> out of every request's query string as the request's context is made, which is before
/// ASP.NET Core logs the request or telemetry records its URL, so a token never reaches a log, a trace or a handler
/// through the query. On the hub's path it is kept as <see cref="HubAccessToken"/> for JwtBearer; anywhere else it is
/// dropped (and the request is as one without a token). The framework's own factory makes the context.
/// </summary>
public sealed class HubTokenRedaction(IServiceProvider services) : IHttpContextFactory
{
    private readonly DefaultHttpContextFactory _inner = new(services);
    private static readonly PathString Hub = "/" + ApiRoutes.Prefix + "/" + ApiRoutes.Hub;

    public HttpContext Create(IFeatureCollection featureCollection)
    {
        var request = featureCollection.Get<IHttpRequestFeature>();
        if (request is not null && request.QueryString.Contains(HubAccessToken.QueryName + "=", StringComparison.OrdinalIgnoreCase))
        {
            var query = QueryHelpers.ParseQuery(request.QueryString);
            if (query.Remove(HubAccessToken.QueryName, out var token))
            {
                request.QueryString = QueryString.Create(query).ToUriComponent();
                if (new PathString(request.Path).StartsWithSegments(Hub) && token.Count == 1 && !string.IsNullOrEmpty(token[0]))
                    featureCollection.Set(new HubAccessToken(token[0]!));
            }
        }
        return _inner.Create(featureCollection);
    }

    public void Dispose(HttpContext httpContext) => _inner.Dispose(httpContext);
}
