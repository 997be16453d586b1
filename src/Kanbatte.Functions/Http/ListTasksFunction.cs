using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>GET /api/projects/{key}/tasks</c>: <see cref="TasksApi.ListAsync"/>.</summary>
public sealed class ListTasksFunction(TasksApi api)
{
    [Function("ListTasks")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = ApiRoutes.ProjectTasks)] HttpRequest request, string key) =>
        ActionResultOf.From(api.ListAsync(request, key));
}
