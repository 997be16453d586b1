using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>POST /api/tasks/{id}/move</c>: <see cref="TasksApi.MoveAsync"/>.</summary>
public sealed class MoveTaskFunction(TasksApi api)
{
    [Function("MoveTask")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", "options", Route = ApiRoutes.TaskMove)] HttpRequest request, string id) =>
        ActionResultOf.From(api.MoveAsync(request, id));
}
