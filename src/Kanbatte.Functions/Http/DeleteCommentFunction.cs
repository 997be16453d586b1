using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>DELETE /api/tasks/{id}/comments/{commentId}</c>: <see cref="CommentsApi.DeleteAsync"/>.</summary>
public sealed class DeleteCommentFunction(CommentsApi api)
{
    [Function("DeleteComment")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = ApiRoutes.CommentById)] HttpRequest request, string id, string commentId) =>
        ActionResultOf.From(api.DeleteAsync(request, id, commentId));
}
