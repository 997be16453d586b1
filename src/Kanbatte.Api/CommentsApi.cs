using Kanbatte.Application;
using Kanbatte.Domain;
using Microsoft.AspNetCore.Http;

namespace Kanbatte.Api;

/// <summary>A task's comments: add (the caller is the author), list, edit and delete (their author, or an owner).</summary>
public sealed class CommentsApi(KanbatteCommands commands, KanbatteQueries queries, ProjectAccess access, Paging paging, ApiHandler handler)
{
    private static readonly string[] Fields = ["body"];

    public Task<IResult> AddAsync(HttpRequest request, string id) => handler.HandleIdempotentAsync(request, async (caller, metadata, ct) =>
    {
        var body = await RequestBody.ReadAsync(request, Fields, ct);
        var comment = await commands.AddCommentAsync(caller, id, () =>
        {
            QueryParameters.None.ThrowIfUnknown(request);
            var cmd = new AddComment(body.String("body"));
            body.ThrowIfInvalid();
            return cmd;
        }, metadata, ct);
        return JsonResponse.Of(StatusCodes.Status201Created, comment) with { Location = $"/{ApiRoutes.Prefix}/tasks/{id}/comments" };
    });

    /// <summary>The task's comments, oldest first.</summary>
    public Task<IResult> ListAsync(HttpRequest request, string id) => handler.HandleAsync(request, async (caller, _, ct) =>
    {
        await access.RequireAsync(caller, TaskId.TryParse(id, out var key, out int _) ? key : "", ProjectRoles.Viewer, () => new NotFoundException("Task", id), ct);
        QueryParameters.Page.ThrowIfUnknown(request);
        var scope = $"comments|{id}";
        var limit = paging.Limit(request);
        var page = await queries.ListCommentsAsync(id, Paging.AfterNumber(paging.After(request, scope)), limit, ct);
        return paging.Page(page, scope);
    });

    public Task<IResult> EditAsync(HttpRequest request, string id, string commentId) => handler.HandleAsync(request, async (caller, metadata, ct) =>
    {
        var body = await RequestBody.ReadAsync(request, Fields, ct);
        var comment = await commands.EditCommentAsync(caller, id, commentId, () =>
        {
            QueryParameters.None.ThrowIfUnknown(request);
            var text = body.String("body");
            body.ThrowIfInvalid();
            return text;
        }, metadata, ct);
        return JsonResponse.Of(StatusCodes.Status200OK, comment);
    });

    public Task<IResult> DeleteAsync(HttpRequest request, string id, string commentId) => handler.HandleAsync(request, async (caller, metadata, ct) =>
    {
        var body = await RequestBody.ReadNoneAsync(request, ct);
        await commands.DeleteCommentAsync(caller, id, commentId, () =>
        {
            QueryParameters.None.ThrowIfUnknown(request);
            body.ThrowIfInvalid();
        }, metadata, ct);
        return new JsonResponse(StatusCodes.Status204NoContent, null);
    });
}
