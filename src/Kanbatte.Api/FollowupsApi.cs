using Kanbatte.Application;
using Kanbatte.Domain;
using Microsoft.AspNetCore.Http;

namespace Kanbatte.Api;

/// <summary>
/// A task's followups (things to come back to: the original Kanbatte's FU-n): add (members; the caller is the author),
/// list, change (any member the status, its author or an owner the body), and a project's followups, the work queue
/// an agent reads (<c>?status=open</c>).
/// </summary>
public sealed class FollowupsApi(KanbatteCommands commands, KanbatteQueries queries, ProjectAccess access, Paging paging, ApiHandler handler)
{
    private static readonly string[] AddFields = ["body"];
    private static readonly string[] ChangeFields = ["status", "body"];
    private static readonly QueryParameters ProjectParameters = QueryParameters.Page.And("status");

    public Task<IResult> AddAsync(HttpRequest request, string id) => handler.HandleIdempotentAsync(request, async (caller, metadata, ct) =>
    {
        var body = await RequestBody.ReadAsync(request, AddFields, ct);
        var followup = await commands.AddFollowupAsync(caller, id, () =>
        {
            QueryParameters.None.ThrowIfUnknown(request);
            var cmd = new AddFollowup(body.String("body"));
            body.ThrowIfInvalid();
            return cmd;
        }, metadata, ct);
        return JsonResponse.Of(StatusCodes.Status201Created, followup) with { Location = $"/{ApiRoutes.Prefix}/tasks/{id}/followups" };
    });

    public Task<IResult> UpdateAsync(HttpRequest request, string id, string followupId) => handler.HandleAsync(request, async (caller, metadata, ct) =>
    {
        var body = await RequestBody.ReadAsync(request, ChangeFields, ct);
        var followup = await commands.UpdateFollowupAsync(caller, id, followupId, () =>
        {
            QueryParameters.None.ThrowIfUnknown(request);
            var cmd = new ChangeFollowup(body.String("status"), body.String("body"));
            body.ThrowIfInvalid();
            return cmd;
        }, metadata, ct);
        return JsonResponse.Of(StatusCodes.Status200OK, followup);
    });

    /// <summary>The task's followups, oldest first.</summary>
    public Task<IResult> ListAsync(HttpRequest request, string id) => handler.HandleAsync(request, async (caller, _, ct) =>
    {
        var key = TaskId.TryParse(id, out var projectKey, out int _) ? projectKey : "";
        await access.RequireAsync(caller, key, ProjectRoles.Viewer, () => new NotFoundException("Task", id), ct);
        QueryParameters.Page.ThrowIfUnknown(request);
        var scope = $"followups|{id}";
        var limit = paging.Limit(request);
        var page = await queries.ListFollowupsAsync(key, id, [], Paging.AfterNumber(paging.After(request, scope)), limit, ct);
        return paging.Page(page, scope);
    });

    /// <summary>The project's followups, oldest first; <c>status</c> (a comma list of open, resolved) narrows them.</summary>
    public Task<IResult> ListProjectAsync(HttpRequest request, string key) => handler.HandleAsync(request, async (caller, _, ct) =>
    {
        await access.RequireAsync(caller, key, ProjectRoles.Viewer, () => new NotFoundException("Project", key), ct);
        ProjectParameters.ThrowIfUnknown(request);
        var v = new Violations();
        var statuses = QueryValues.CommaList(request, "status", FollowupStatuses.All, v);
        v.ThrowIfAny();
        // The token belongs to the list as filtered (statuses in a canonical order), so it continues only that list.
        var scope = $"project-followups|{key}|{string.Join(',', statuses)}";
        var limit = paging.Limit(request);
        var page = await queries.ListFollowupsAsync(key, null, statuses, Paging.AfterNumber(paging.After(request, scope)), limit, ct);
        return paging.Page(page, scope);
    });
}
