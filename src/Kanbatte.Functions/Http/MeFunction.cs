using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>GET /api/me</c>: <see cref="MetaApi.MeAsync"/>.</summary>
public sealed class MeFunction(MetaApi api)
{
    [Function("Me")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = ApiRoutes.Me)] HttpRequest request) =>
        ActionResultOf.From(api.MeAsync(request));
}
