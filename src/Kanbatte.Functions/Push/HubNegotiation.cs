using System.Globalization;
using Kanbatte.Api;
using Microsoft.AspNetCore.Http;

namespace Kanbatte.Functions.Push;

/// <summary>
/// <c>POST /api/hub/negotiate</c> on the function app: SignalR's negotiate step, answered with where to connect (Azure
/// SignalR Service, serverless) and a client access token for the caller, valid as long as the caller's own token.
/// Clients use one URL for both hosts: <c>withUrl("&lt;base&gt;/api/hub", { accessTokenFactory })</c>.
/// </summary>
public sealed class HubNegotiation(SignalRService service, ApiHandler handler, TimeProvider clock)
{
    /// <summary>The SignalR clients add their protocol version to the negotiate request.</summary>
    private static readonly QueryParameters Parameters = QueryParameters.Of("negotiateVersion");

    public sealed record Answer(string Url, string AccessToken);

    public Task<IResult> NegotiateAsync(HttpRequest request) => handler.HandleAsync(request, async (caller, _, ct) =>
    {
        Parameters.ThrowIfUnknown(request);
        if (!service.IsConfigured)
            return Problems.NotFound($"Push is not configured on this deployment ({SignalRServiceOptions.Section}:Endpoint): pull /api/projects/{{key}}/changes instead.");
        var token = await service.GenerateClientTokenAsync(caller.Id, MinutesLeft(request.HttpContext.User), ct);
        return JsonResponse.Of(StatusCodes.Status200OK, new Answer(service.ClientUrl, token));
    });

    /// <summary>The caller's token's remaining lifetime, in whole minutes (at least one): the connection ends with it.</summary>
    private int MinutesLeft(System.Security.Claims.ClaimsPrincipal user)
    {
        var expires = long.TryParse(user.FindFirst("exp")?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var exp)
            ? DateTimeOffset.FromUnixTimeSeconds(exp)
            : clock.GetUtcNow().AddHours(1);
        return Math.Max(1, (int)Math.Ceiling((expires - clock.GetUtcNow()).TotalMinutes));
    }
}
