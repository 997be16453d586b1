using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>POST /api/projects/{key}/tasks</c>: <see cref="KanbatteApi.CreateTaskAsync"/>.</summary>
public sealed class CreateTaskFunction(KanbatteApi api)
{
    [Function("CreateTask")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Function, "post", Route = "projects/{key}/tasks")] HttpRequest request, string key) =>
        ActionResultOf.From(api.CreateTaskAsync(request, key));
}
