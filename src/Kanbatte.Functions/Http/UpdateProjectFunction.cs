using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>PATCH /api/projects/{key}</c>: <see cref="ProjectsApi.UpdateAsync"/>.</summary>
public sealed class UpdateProjectFunction(ProjectsApi api)
{
    [Function("UpdateProject")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = ApiRoutes.ProjectByKey)] HttpRequest request, string key) =>
        ActionResultOf.From(api.UpdateAsync(request, key));
}
