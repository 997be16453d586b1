using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>GET /api/tasks/{id}/followups</c>: <see cref="FollowupsApi.ListAsync"/>.</summary>
public sealed class ListFollowupsFunction(FollowupsApi api)
{
    [Function("ListFollowups")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = ApiRoutes.TaskFollowups)] HttpRequest request, string id) =>
        ActionResultOf.From(api.ListAsync(request, id));
}
