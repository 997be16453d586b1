using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>DELETE /api/projects/{key}/members/{userId}</c>: <see cref="MembersApi.DeleteAsync"/>.</summary>
public sealed class DeleteMemberFunction(MembersApi api)
{
    [Function("DeleteMember")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = ApiRoutes.MemberById)] HttpRequest request, string key, string userId) =>
        ActionResultOf.From(api.DeleteAsync(request, key, userId));
}
