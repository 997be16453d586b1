using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;

namespace Kanbatte.Api;

/// <summary>
/// The bearer token a WebSocket or server-sent-events client sends as the <c>access_token</c> query parameter of the
/// hub (browsers cannot set a header there). The server takes it out of every request's query before anything logs the
/// request, and keeps it here only for the hub's path; JwtBearer reads it from here, so it works nowhere else.
/// </summary>
public sealed class HubAccessToken(string token)
{
    public const string QueryName = "access_token";

    public string Token { get; } = token;

    /// <summary>JwtBearer's hook: a request without an Authorization header takes the hub's token, when there is one.</summary>
    public static Task ReadAsync(MessageReceivedContext context)
    {
        if (context.HttpContext.Features.Get<HubAccessToken>() is { } hub && !context.Request.Headers.ContainsKey("Authorization"))
            context.Token = hub.Token;
        return Task.CompletedTask;
    }
}
