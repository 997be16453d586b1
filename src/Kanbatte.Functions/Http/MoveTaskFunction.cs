using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>POST /api/tasks/{id}/move</c>: <see cref="KanbatteApi.MoveTaskAsync"/>.</summary>
public sealed class MoveTaskFunction(KanbatteApi api)
{
    [Function("MoveTask")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Function, "post", Route = "tasks/{id}/move")] HttpRequest request, string id) =>
        ActionResultOf.From(api.MoveTaskAsync(request, id));
}
