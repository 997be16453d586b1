using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>POST /api/tasks/{id}/comments</c>: <see cref="CommentsApi.AddAsync"/>.</summary>
public sealed class AddCommentFunction(CommentsApi api)
{
    [Function("AddComment")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.TaskComments)] HttpRequest request, string id) =>
        ActionResultOf.From(api.AddAsync(request, id));
}
