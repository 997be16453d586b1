using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>POST /api/tasks/{id}/archive</c>: <see cref="KanbatteApi.ArchiveTaskAsync"/>.</summary>
public sealed class ArchiveTaskFunction(KanbatteApi api)
{
    [Function("ArchiveTask")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Function, "post", Route = "tasks/{id}/archive")] HttpRequest request, string id) =>
        ActionResultOf.From(api.ArchiveTaskAsync(request, id));
}
