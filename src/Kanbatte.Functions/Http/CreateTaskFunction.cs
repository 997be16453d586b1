using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>POST /api/projects/{key}/tasks</c>: <see cref="TasksApi.CreateAsync"/>.</summary>
public sealed class CreateTaskFunction(TasksApi api)
{
    [Function("CreateTask")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.ProjectTasks)] HttpRequest request, string key) =>
        ActionResultOf.From(api.CreateAsync(request, key));
}
