using Kanbatte.Api;
using Microsoft.Net.Http.Headers;

namespace Kanbatte.Server;

/// <summary>
/// Kanbatte's web client (src/Kanbatte.Web, built into wwwroot): its files, its configuration (<c>/config.json</c>:
/// the API on this origin, signed in with this server's issuer), and the client for every other GET outside
/// <c>/api</c>, so its own paths (<c>/projects/AI</c>) load it. Paths under <c>/api</c> keep the API's answers, 404s
/// included. Every page and file of the client carries a strict Content-Security-Policy: scripts, styles and
/// connections from this origin only, no inline script, no frames; a token held by the page is worth stealing.
/// </summary>
public static class WebClient
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";

    private static readonly PathString Api = "/" + ApiRoutes.Prefix;

    private const string LocalHint =
        "Open the sign-in link the server printed when it started (http://localhost:7071/#token=...), or make a token with " +
        "`dotnet run --project src/Kanbatte.Server -- token <your id>` and open /#token=<the token>.";

    private const string IssuerHint = "Open /#token=<a token of the issuer this server is configured with>.";

    /// <summary>Before routing: the client's files and pages; anything under /api goes on to the API.</summary>
    public static WebApplication UseKanbatteWebClient(this WebApplication app)
    {
        var index = app.Environment.WebRootFileProvider.GetFileInfo("index.html");
        var localIssuer = app.Services.GetRequiredService<TokenIssuers>().Local is not null;
        app.Use(async (http, next) =>
        {
            if (http.Request.Path.StartsWithSegments(Api)) { await next(http); return; }
            http.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            http.Response.Headers["Referrer-Policy"] = "no-referrer"; // a #token never leaves in a Referer, nor does a path
            await next(http);
        });
        app.UseStaticFiles(new StaticFileOptions
        {
            // The file names do not change with their content: every load asks whether they did.
            OnPrepareResponse = file => file.Context.Response.Headers.CacheControl = "no-cache",
        });
        app.Use(async (http, next) =>
        {
            var request = http.Request;
            if (request.Path.StartsWithSegments(Api) || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)))
            {
                await next(http);
                return;
            }
            if (request.Path == "/config.json")
            {
                await Results.Json(new { apiBase = "", auth = new { kind = "token", hint = localIssuer ? LocalHint : IssuerHint } }).ExecuteAsync(http);
                return;
            }
            if (!index.Exists)
            {
                await next(http);
                return;
            }
            http.Response.Headers.CacheControl = "no-cache";
            await Results.File(index.PhysicalPath!, "text/html; charset=utf-8").ExecuteAsync(http);
        });
        return app;
    }
}
