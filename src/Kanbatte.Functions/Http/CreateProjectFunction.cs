using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>POST /api/projects</c>: <see cref="KanbatteApi.CreateProjectAsync"/>.</summary>
public sealed class CreateProjectFunction(KanbatteApi api)
{
    [Function("CreateProject")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Function, "post", Route = "projects")] HttpRequest request) =>
        ActionResultOf.From(api.CreateProjectAsync(request));
}
