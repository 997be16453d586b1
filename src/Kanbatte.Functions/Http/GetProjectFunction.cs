using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>GET /api/projects/{key}</c>: <see cref="KanbatteApi.GetProjectAsync"/>.</summary>
public sealed class GetProjectFunction(KanbatteApi api)
{
    [Function("GetProject")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = "projects/{key}")] HttpRequest request, string key) =>
        ActionResultOf.From(api.GetProjectAsync(request, key));
}
