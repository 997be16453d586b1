using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>GET /api/tasks/{id}/history</c>: <see cref="KanbatteApi.TaskHistoryAsync"/>.</summary>
public sealed class TaskHistoryFunction(KanbatteApi api)
{
    [Function("TaskHistory")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = "tasks/{id}/history")] HttpRequest request, string id) =>
        ActionResultOf.From(api.TaskHistoryAsync(request, id));
}
