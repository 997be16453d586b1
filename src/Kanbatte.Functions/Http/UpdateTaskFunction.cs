using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>PATCH /api/tasks/{id}</c>: <see cref="TasksApi.UpdateAsync"/>.</summary>
public sealed class UpdateTaskFunction(TasksApi api)
{
    [Function("UpdateTask")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = ApiRoutes.TaskById)] HttpRequest request, string id) =>
        ActionResultOf.From(api.UpdateAsync(request, id));
}
