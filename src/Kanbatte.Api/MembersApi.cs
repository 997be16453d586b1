using Kanbatte.Application;
using Kanbatte.Domain;
using Microsoft.AspNetCore.Http;

namespace Kanbatte.Api;

/// <summary>A project's members: list (viewers and up), add or change a role, remove (owners; an operator gives an ownerless project its first owner).</summary>
public sealed class MembersApi(KanbatteCommands commands, KanbatteQueries queries, ProjectAccess access, Paging paging, ApiHandler handler)
{
    private static readonly string[] PutFields = ["role", "name"];

    public Task<IResult> ListAsync(HttpRequest request, string key) => handler.HandleAsync(request, async (caller, _, ct) =>
    {
        await access.RequireAsync(caller, key, ProjectRoles.Viewer, () => new NotFoundException("Project", key), ct);
        QueryParameters.Page.ThrowIfUnknown(request);
        var scope = $"members|{key}";
        var limit = paging.Limit(request);
        var page = await queries.ListMembersAsync(key, paging.After(request, scope), limit, ct);
        return paging.Page(page, scope);
    });

    /// <summary>201 when the user was added, 200 when their role changed (or already was the one asked for).</summary>
    public Task<IResult> PutAsync(HttpRequest request, string key, string userId) => handler.HandleAsync(request, async (caller, metadata, ct) =>
    {
        var member = PathValues.LastSegment(request, userId);
        var body = await RequestBody.ReadAsync(request, PutFields, ct);
        var (added, isNew) = await commands.SetMemberAsync(caller, key, member, () =>
        {
            QueryParameters.None.ThrowIfUnknown(request);
            var (role, name) = (body.String("role"), body.String("name"));
            body.ThrowIfInvalid();
            return (role, name);
        }, metadata, ct);
        var response = JsonResponse.Of(isNew ? StatusCodes.Status201Created : StatusCodes.Status200OK, added);
        return isNew ? response with { Location = $"/{ApiRoutes.Prefix}/projects/{key}/members/{Uri.EscapeDataString(member)}" } : response;
    });

    public Task<IResult> DeleteAsync(HttpRequest request, string key, string userId) => handler.HandleAsync(request, async (caller, metadata, ct) =>
    {
        var member = PathValues.LastSegment(request, userId);
        var body = await RequestBody.ReadNoneAsync(request, ct);
        await commands.RemoveMemberAsync(caller, key, member, () =>
        {
            QueryParameters.None.ThrowIfUnknown(request);
            body.ThrowIfInvalid();
        }, metadata, ct);
        return new JsonResponse(StatusCodes.Status204NoContent, null);
    });
}
