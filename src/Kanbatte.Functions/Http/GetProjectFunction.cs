using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>GET /api/projects/{key}</c>: <see cref="ProjectsApi.GetAsync"/>.</summary>
public sealed class GetProjectFunction(ProjectsApi api)
{
    [Function("GetProject")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = ApiRoutes.ProjectByKey)] HttpRequest request, string key) =>
        ActionResultOf.From(api.GetAsync(request, key));
}
