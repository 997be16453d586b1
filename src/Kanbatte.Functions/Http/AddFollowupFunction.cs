using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>POST /api/tasks/{id}/followups</c>: <see cref="FollowupsApi.AddAsync"/>.</summary>
public sealed class AddFollowupFunction(FollowupsApi api)
{
    [Function("AddFollowup")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.TaskFollowups)] HttpRequest request, string id) =>
        ActionResultOf.From(api.AddAsync(request, id));
}
