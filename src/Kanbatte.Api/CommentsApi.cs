using Kanbatte.Application;
using Kanbatte.Domain;
using Microsoft.AspNetCore.Http;

namespace Kanbatte.Api;

/// <summary>A task's comments: add, list, edit, delete.</summary>
public sealed class CommentsApi(KanbatteCommands commands, KanbatteQueries queries, Paging paging, ApiHandler handler)
{
    private static readonly string[] AddFields = ["body", "author"];
    private static readonly string[] EditFields = ["body"];

    public Task<IResult> AddAsync(HttpRequest request, string id) => handler.HandleIdempotentAsync(request, QueryParameters.None, async (metadata, ct) =>
    {
        var body = await RequestBody.ReadAsync(request, AddFields, ct);
        var cmd = new AddComment(body.String("body"), body.String("author"));
        body.ThrowIfInvalid();
        var comment = await commands.AddCommentAsync(id, cmd, metadata, ct);
        return JsonResponse.Of(StatusCodes.Status201Created, comment) with { Location = $"/{ApiRoutes.Prefix}/tasks/{id}/comments" };
    });

    /// <summary>The task's comments, oldest first.</summary>
    public Task<IResult> ListAsync(HttpRequest request, string id) => handler.HandleAsync(request, QueryParameters.Page, async (_, ct) =>
    {
        var scope = $"comments|{id}";
        var limit = paging.Limit(request);
        var page = await queries.ListCommentsAsync(id, Paging.AfterNumber(paging.After(request, scope)), limit, ct);
        return paging.Page(page, scope);
    });

    public Task<IResult> EditAsync(HttpRequest request, string id, string commentId) => handler.HandleAsync(request, QueryParameters.None, async (metadata, ct) =>
    {
        var body = await RequestBody.ReadAsync(request, EditFields, ct);
        var text = body.String("body");
        body.ThrowIfInvalid();
        var comment = await commands.EditCommentAsync(id, commentId, text, metadata, ct);
        return JsonResponse.Of(StatusCodes.Status200OK, comment);
    });

    public Task<IResult> DeleteAsync(HttpRequest request, string id, string commentId) => handler.HandleAsync(request, QueryParameters.None, async (metadata, ct) =>
    {
        await commands.DeleteCommentAsync(id, commentId, metadata, ct);
        return new JsonResponse(StatusCodes.Status204NoContent, null);
    });
}
