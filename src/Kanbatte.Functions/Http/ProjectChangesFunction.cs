using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>GET /api/projects/{key}/changes</c>: <see cref="ChangesApi.PullAsync"/>.</summary>
public sealed class ProjectChangesFunction(ChangesApi api)
{
    [Function("ProjectChanges")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = ApiRoutes.ProjectChanges)] HttpRequest request, string key) =>
        ActionResultOf.From(api.PullAsync(request, key));
}
