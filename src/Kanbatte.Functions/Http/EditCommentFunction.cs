using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>PATCH /api/tasks/{id}/comments/{commentId}</c>: <see cref="KanbatteApi.EditCommentAsync"/>.</summary>
public sealed class EditCommentFunction(KanbatteApi api)
{
    [Function("EditComment")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Function, "patch", Route = "tasks/{id}/comments/{commentId}")] HttpRequest request, string id, string commentId) =>
        ActionResultOf.From(api.EditCommentAsync(request, id, commentId));
}
