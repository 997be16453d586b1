using Kanbatte.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions.Http;

/// <summary><c>PUT /api/projects/{key}/members/{userId}</c>: <see cref="MembersApi.PutAsync"/>.</summary>
public sealed class PutMemberFunction(MembersApi api)
{
    [Function("PutMember")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "put", "options", Route = ApiRoutes.MemberById)] HttpRequest request, string key, string userId) =>
        ActionResultOf.From(api.PutAsync(request, key, userId));
}
