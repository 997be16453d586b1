using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Kanbatte.Api;

/// <summary>
/// The answers ASP.NET Core itself makes without a body (no route matched: 404; a route without that method: 405;
/// any other empty error) become the API's problem details, with the correlation id, under <c>/api</c>. Paths outside
/// it are left as the framework answers them. What Kestrel refuses before the application sees the request (an
/// over-long request line or headers, a malformed request) cannot be reached from here: see the README.
/// </summary>
public static class FrameworkProblems
{
    public static IApplicationBuilder UseKanbatteProblems(this IApplicationBuilder app) =>
        app.UseStatusCodePages(context => WriteAsync(context.HttpContext));

    private static Task WriteAsync(HttpContext http)
    {
        if (!http.Request.Path.StartsWithSegments("/" + ApiRoutes.Prefix, StringComparison.OrdinalIgnoreCase)) return Task.CompletedTask;
        CorrelationId.Stamp(http.Request);
        var status = http.Response.StatusCode;
        var problem = status switch
        {
            StatusCodes.Status404NotFound => Problems.Create(status, "Not found.", "No route of this API has this path."),
            StatusCodes.Status405MethodNotAllowed => Problems.Create(status, "Method not allowed.",
                $"This route answers only {http.Response.Headers.Allow} (see the Allow header)."),
            _ => Problems.Create(status, ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase + "." : "Refused.",
                $"The server refused the request with {status}."),
        };
        return problem.ExecuteAsync(http);
    }
}
