using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>POST /api/tasks/{id}/restore</c>: <see cref="TasksApi.RestoreAsync"/>.</summary>
public sealed class RestoreTaskFunction(TasksApi api)
{
    [Function("RestoreTask")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", "options", Route = ApiRoutes.TaskRestore)] HttpRequest request, string id) =>
        ActionResultOf.From(api.RestoreAsync(request, id));
}
