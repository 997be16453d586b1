using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>GET /api/tasks/{id}/comments</c>: <see cref="CommentsApi.ListAsync"/>.</summary>
public sealed class ListCommentsFunction(CommentsApi api)
{
    [Function("ListComments")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = ApiRoutes.TaskComments)] HttpRequest request, string id) =>
        ActionResultOf.From(api.ListAsync(request, id));
}
