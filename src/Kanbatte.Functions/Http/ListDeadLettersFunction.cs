using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>GET /api/admin/dead-letters</c>: <see cref="KanbatteAdminApi.ListDeadLettersAsync"/>.</summary>
public sealed class ListDeadLettersFunction(KanbatteAdminApi api)
{
    [Function("ListDeadLetters")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/dead-letters")] HttpRequest request) =>
        ActionResultOf.From(api.ListDeadLettersAsync(request));
}
