using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>GET /api/tasks/{id}</c>: <see cref="KanbatteApi.GetTaskAsync"/>.</summary>
public sealed class GetTaskFunction(KanbatteApi api)
{
    [Function("GetTask")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = "tasks/{id}")] HttpRequest request, string id) =>
        ActionResultOf.From(api.GetTaskAsync(request, id));
}
