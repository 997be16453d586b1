using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>GET /api/tasks/{id}/history</c>: <see cref="TasksApi.HistoryAsync"/>.</summary>
public sealed class TaskHistoryFunction(TasksApi api)
{
    [Function("TaskHistory")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = ApiRoutes.TaskHistory)] HttpRequest request, string id) =>
        ActionResultOf.From(api.HistoryAsync(request, id));
}
