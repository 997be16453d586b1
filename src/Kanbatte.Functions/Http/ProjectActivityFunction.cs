using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>GET /api/projects/{key}/activity</c>: <see cref="ProjectsApi.ActivityAsync"/>.</summary>
public sealed class ProjectActivityFunction(ProjectsApi api)
{
    [Function("ProjectActivity")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = ApiRoutes.ProjectActivity)] HttpRequest request, string key) =>
        ActionResultOf.From(api.ActivityAsync(request, key));
}
