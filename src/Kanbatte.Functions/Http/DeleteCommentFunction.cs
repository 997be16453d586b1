using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>DELETE /api/tasks/{id}/comments/{commentId}</c>: <see cref="KanbatteApi.DeleteCommentAsync"/>.</summary>
public sealed class DeleteCommentFunction(KanbatteApi api)
{
    [Function("DeleteComment")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Function, "delete", Route = "tasks/{id}/comments/{commentId}")] HttpRequest request, string id, string commentId) =>
        ActionResultOf.From(api.DeleteCommentAsync(request, id, commentId));
}
