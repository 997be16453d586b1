using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>GET /api/health</c>: <see cref="MetaApi.HealthAsync"/>.</summary>
public sealed class HealthFunction(MetaApi api)
{
    [Function("Health")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = ApiRoutes.Health)] HttpRequest request) =>
        ActionResultOf.From(api.HealthAsync(request));
}
