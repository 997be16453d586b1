using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>POST /api/tasks/{id}/archive</c>: <see cref="TasksApi.ArchiveAsync"/>.</summary>
public sealed class ArchiveTaskFunction(TasksApi api)
{
    [Function("ArchiveTask")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", "options", Route = ApiRoutes.TaskArchive)] HttpRequest request, string id) =>
        ActionResultOf.From(api.ArchiveAsync(request, id));
}
