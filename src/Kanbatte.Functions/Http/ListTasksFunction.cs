using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>GET /api/projects/{key}/tasks</c>: <see cref="KanbatteApi.ListTasksAsync"/>.</summary>
public sealed class ListTasksFunction(KanbatteApi api)
{
    [Function("ListTasks")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = "projects/{key}/tasks")] HttpRequest request, string key) =>
        ActionResultOf.From(api.ListTasksAsync(request, key));
}
