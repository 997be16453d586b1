using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>PATCH /api/tasks/{id}/followups/{followupId}</c>: <see cref="FollowupsApi.UpdateAsync"/>.</summary>
public sealed class UpdateFollowupFunction(FollowupsApi api)
{
    [Function("UpdateFollowup")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "patch", "options", Route = ApiRoutes.FollowupById)] HttpRequest request, string id, string followupId) =>
        ActionResultOf.From(api.UpdateAsync(request, id, followupId));
}
