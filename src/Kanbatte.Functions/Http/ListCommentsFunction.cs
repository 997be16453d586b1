using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>GET /api/tasks/{id}/comments</c>: <see cref="KanbatteApi.ListCommentsAsync"/>.</summary>
public sealed class ListCommentsFunction(KanbatteApi api)
{
    [Function("ListComments")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = "tasks/{id}/comments")] HttpRequest request, string id) =>
        ActionResultOf.From(api.ListCommentsAsync(request, id));
}
