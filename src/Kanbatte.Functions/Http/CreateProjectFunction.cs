using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>POST /api/projects</c>: <see cref="ProjectsApi.CreateAsync"/>.</summary>
public sealed class CreateProjectFunction(ProjectsApi api)
{
    [Function("CreateProject")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Projects)] HttpRequest request) =>
        ActionResultOf.From(api.CreateAsync(request));
}
