using Microsoft.AspNetCore.Http;

namespace Kanbatte.Api;

/// <summary>
/// The only requests answered without a token: GET and HEAD of the health check and of the OpenAPI document. The server
/// marks those two endpoints AllowAnonymous (a test checks they are exactly these); the function app asks this rule.
/// </summary>
public static class AnonymousRoutes
{
    public static readonly IReadOnlyList<string> Templates = [ApiRoutes.Health, ApiRoutes.OpenApi];

    public static bool Allows(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)) return false;
        // Routing matches paths case-insensitively and with a trailing slash, so this rule does too.
        var path = request.Path.Value?.TrimEnd('/') ?? "";
        return Templates.Any(t => string.Equals(path, "/" + ApiRoutes.Prefix + "/" + t, StringComparison.OrdinalIgnoreCase));
    }
}
