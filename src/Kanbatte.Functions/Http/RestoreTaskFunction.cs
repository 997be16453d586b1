using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>POST /api/tasks/{id}/restore</c>: <see cref="KanbatteApi.RestoreTaskAsync"/>.</summary>
public sealed class RestoreTaskFunction(KanbatteApi api)
{
    [Function("RestoreTask")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Function, "post", Route = "tasks/{id}/restore")] HttpRequest request, string id) =>
        ActionResultOf.From(api.RestoreTaskAsync(request, id));
}
