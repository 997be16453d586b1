using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>PATCH /api/tasks/{id}</c>: <see cref="KanbatteApi.UpdateTaskAsync"/>.</summary>
public sealed class UpdateTaskFunction(KanbatteApi api)
{
    [Function("UpdateTask")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Function, "patch", Route = "tasks/{id}")] HttpRequest request, string id) =>
        ActionResultOf.From(api.UpdateTaskAsync(request, id));
}
