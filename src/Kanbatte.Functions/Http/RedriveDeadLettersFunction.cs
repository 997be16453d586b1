using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>POST /api/admin/dead-letters/redrive</c>: <see cref="AdminApi.RedriveAsync"/>.</summary>
public sealed class RedriveDeadLettersFunction(AdminApi api)
{
    [Function("RedriveDeadLetters")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", "options", Route = ApiRoutes.DeadLettersRedrive)] HttpRequest request) =>
        ActionResultOf.From(api.RedriveAsync(request));
}
