using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>GET /api/tasks/{id}</c>: <see cref="TasksApi.GetAsync"/>.</summary>
public sealed class GetTaskFunction(TasksApi api)
{
    [Function("GetTask")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = ApiRoutes.TaskById)] HttpRequest request, string id) =>
        ActionResultOf.From(api.GetAsync(request, id));
}
