using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>GET /api/projects/{key}/board</c>: <see cref="ProjectsApi.BoardAsync"/>.</summary>
public sealed class ProjectBoardFunction(ProjectsApi api)
{
    [Function("ProjectBoard")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = ApiRoutes.ProjectBoard)] HttpRequest request, string key) =>
        ActionResultOf.From(api.BoardAsync(request, key));
}
