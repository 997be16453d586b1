using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Kanbatte.Api;

/// <summary>
/// Headers every response carries, on both hosts: <c>nosniff</c>, so a browser never reads a JSON answer as a script or
/// a page; and <c>no-store</c> on everything but the anonymous routes, so no shared cache keeps a user's data.
/// </summary>
public static class SecurityHeaders
{
    public static void Apply(HttpContext http)
    {
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        if (!AnonymousRoutes.Allows(http.Request)) headers[HeaderNames.CacheControl] = "no-store";
    }

    public static IApplicationBuilder UseKanbatteSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((http, next) =>
        {
            Apply(http);
            return next(http);
        });
}
