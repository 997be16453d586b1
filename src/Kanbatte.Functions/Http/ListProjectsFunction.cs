using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>GET /api/projects</c>: <see cref="ProjectsApi.ListAsync"/>.</summary>
public sealed class ListProjectsFunction(ProjectsApi api)
{
    [Function("ListProjects")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = ApiRoutes.Projects)] HttpRequest request) =>
        ActionResultOf.From(api.ListAsync(request));
}
