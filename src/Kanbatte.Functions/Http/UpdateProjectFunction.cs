using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>PATCH /api/projects/{key}</c>: <see cref="KanbatteApi.UpdateProjectAsync"/>.</summary>
public sealed class UpdateProjectFunction(KanbatteApi api)
{
    [Function("UpdateProject")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Function, "patch", Route = "projects/{key}")] HttpRequest request, string key) =>
        ActionResultOf.From(api.UpdateProjectAsync(request, key));
}
