using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Kanbatte.Api;

/// <summary>
/// What the function app runs before any function (its worker middleware, and the function tests through it), since
/// the isolated worker runs no ASP.NET Core middleware: the security headers, CORS (preflights answered here), and the
/// bearer token, with the server's rules and the same JwtBearer handler, challenge included.
/// </summary>
public sealed class RequestGate(ICorsService cors, ICorsPolicyProvider policies)
{
    private static readonly IResult NoContent = Results.NoContent();

    /// <summary>Null when the function may run (with <see cref="HttpContext.User"/> set); otherwise the answer to give instead.</summary>
    public async Task<IResult?> CheckAsync(HttpContext http)
    {
        SecurityHeaders.Apply(http);
        if (http.Request.Headers.ContainsKey(HeaderNames.Origin) && await policies.GetPolicyAsync(http, policyName: null) is { } policy)
            cors.ApplyResult(cors.EvaluatePolicy(http, policy), http.Response);
        // OPTIONS only ever means a preflight here (CORS headers above when the origin is allowed); no function runs for it.
        if (HttpMethods.IsOptions(http.Request.Method)) return NoContent;
        if (AnonymousRoutes.Allows(http.Request)) return null;

        var result = await http.AuthenticateAsync(KanbatteAuthentication.Scheme);
        if (!result.Succeeded) return Results.Challenge(authenticationSchemes: [KanbatteAuthentication.Scheme]);
        http.User = result.Principal;
        return null;
    }
}
