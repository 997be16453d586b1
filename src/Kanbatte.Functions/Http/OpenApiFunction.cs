using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>GET /api/openapi.json</c>: <see cref="MetaApi.OpenApiAsync"/>.</summary>
public sealed class OpenApiFunction(MetaApi api)
{
    [Function("OpenApi")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = ApiRoutes.OpenApi)] HttpRequest request) =>
        ActionResultOf.From(api.OpenApiAsync(request));
}
