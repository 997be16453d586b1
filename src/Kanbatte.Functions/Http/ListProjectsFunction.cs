using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>GET /api/projects</c>: <see cref="KanbatteApi.ListProjectsAsync"/>.</summary>
public sealed class ListProjectsFunction(KanbatteApi api)
{
    [Function("ListProjects")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = "projects")] HttpRequest request) =>
        ActionResultOf.From(api.ListProjectsAsync(request));
}
