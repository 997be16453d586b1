using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>GET /api/admin/dead-letters</c>: <see cref="AdminApi.ListDeadLettersAsync"/>.</summary>
public sealed class ListDeadLettersFunction(AdminApi api)
{
    [Function("ListDeadLetters")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = ApiRoutes.DeadLetters)] HttpRequest request) =>
        ActionResultOf.From(api.ListDeadLettersAsync(request));
}
