using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>|GET /api/admin/projects</c>: <see cref="AdminApi.ListProjectsAsync"/>.</summary>
public sealed class ListAdminProjectsFunction(AdminApi api)
{
    [Function("ListAdminProjects")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = ApiRoutes.AdminProjects)] HttpRequest request) =>
        ActionResultOf.From(api.ListProjectsAsync(request));
}
