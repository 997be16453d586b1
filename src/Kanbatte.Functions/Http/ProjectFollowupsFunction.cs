using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>GET /api/projects/{key}/followups</c>: <see cref="FollowupsApi.ListProjectAsync"/>.</summary>
public sealed class ProjectFollowupsFunction(FollowupsApi api)
{
    [Function("ProjectFollowups")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = ApiRoutes.ProjectFollowups)] HttpRequest request, string key) =>
        ActionResultOf.From(api.ListProjectAsync(request, key));
}
