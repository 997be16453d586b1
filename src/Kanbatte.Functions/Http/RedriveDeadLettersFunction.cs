using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>POST /api/admin/dead-letters/redrive</c>: <see cref="KanbatteAdminApi.RedriveAsync"/>.</summary>
public sealed class RedriveDeadLettersFunction(KanbatteAdminApi api)
{
    [Function("RedriveDeadLetters")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/dead-letters/redrive")] HttpRequest request) =>
        ActionResultOf.From(api.RedriveAsync(request));
}
