using Kanbatte.Api;
using Kanbatte.Functions.Push;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>POST /api/hub/negotiate</c>: <see cref="HubNegotiation.NegotiateAsync"/> (the server's SignalR answers it itself).</summary>
public sealed class NegotiateFunction(HubNegotiation negotiation)
{
    [Function("Negotiate")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", "options", Route = ApiRoutes.HubNegotiate)] HttpRequest request) =>
        ActionResultOf.From(negotiation.NegotiateAsync(request));
}
