using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>PATCH /api/tasks/{id}/comments/{commentId}</c>: <see cref="CommentsApi.EditAsync"/>.</summary>
public sealed class EditCommentFunction(CommentsApi api)
{
    [Function("EditComment")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "patch", "options", Route = ApiRoutes.CommentById)] HttpRequest request, string id, string commentId) =>
        ActionResultOf.From(api.EditAsync(request, id, commentId));
}
