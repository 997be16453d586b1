using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>GET /api/projects/{key}/members</c>: <see cref="MembersApi.ListAsync"/>.</summary>
public sealed class ListMembersFunction(MembersApi api)
{
    [Function("ListMembers")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = ApiRoutes.ProjectMembers)] HttpRequest request, string key) =>
        ActionResultOf.From(api.ListAsync(request, key));
}
