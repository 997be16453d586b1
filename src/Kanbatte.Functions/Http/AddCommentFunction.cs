using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>POST /api/tasks/{id}/comments</c>: <see cref="KanbatteApi.AddCommentAsync"/>.</summary>
public sealed class AddCommentFunction(KanbatteApi api)
{
    [Function("AddComment")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Function, "post", Route = "tasks/{id}/comments")] HttpRequest request, string id) =>
        ActionResultOf.From(api.AddCommentAsync(request, id));
}
