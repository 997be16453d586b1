using Kanbatte.Api;
using Kanbatte.Application;

namespace Kanbatte.Server;

/// <summary>
/// With its own issuer, the server offers the person who started it a link that signs them in to the web client:
/// <c>http://localhost:7071/#token=...</c>, for the local user (<c>Kanbatte:Auth:LocalUser</c>, by default the
/// operating system's user name), not an operator, valid for a day. The token is in the fragment, which the browser
/// never sends to a server; the client takes it out of the address bar at once.
/// </summary>
public static class SignInLink
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(1);

    public static string? For(WebApplication app)
    {
        if (app.Services.GetRequiredService<TokenIssuers>().Local is not LocalIssuer issuer) return null;
        var user = app.Configuration["Kanbatte:Auth:LocalUser"] is { Length: > 0 } configured ? configured : Environment.UserName;
        var token = issuer.Mint(new Caller(user, user, Admin: false), Lifetime, app.Services.GetRequiredService<TimeProvider>().GetUtcNow());
        var address = app.Urls.FirstOrDefault() ?? "http://localhost:7071";
        return $"{address.TrimEnd('/')}/#token={token}";
    }
}
