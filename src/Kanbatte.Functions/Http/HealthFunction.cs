using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>GET /api/health</c>: <see cref="KanbatteApi.HealthAsync"/>.</summary>
public sealed class HealthFunction(KanbatteApi api)
{
    [Function("Health")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request) =>
        ActionResultOf.From(api.HealthAsync(request));
}
