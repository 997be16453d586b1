using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Kanbatte.Api;

/// <summary>The self-hosted server's route table, from <see cref="ApiRoutes"/>; the function app declares the same templates, one function each.</summary>
public static class KanbatteRoutes
{
    public static IEndpointRouteBuilder MapKanbatteApi(this IEndpointRouteBuilder app)
    {
        // Every route needs a caller (a valid bearer token naming a user) before its handler runs; AnonymousRoutes lists the exceptions.
        var api = app.MapGroup("/" + ApiRoutes.Prefix).RequireAuthorization();
        api.MapGetAndHead(ApiRoutes.Health, (HttpRequest r, MetaApi a) => a.HealthAsync(r)).AllowAnonymous();
        api.MapGetAndHead(ApiRoutes.OpenApi, (HttpRequest r, MetaApi a) => a.OpenApiAsync(r)).AllowAnonymous();
        api.MapGetAndHead(ApiRoutes.Me, (HttpRequest r, MetaApi a) => a.MeAsync(r));
        api.MapPost(ApiRoutes.Projects, (HttpRequest r, ProjectsApi a) => a.CreateAsync(r));
        api.MapGetAndHead(ApiRoutes.Projects, (HttpRequest r, ProjectsApi a) => a.ListAsync(r));
        api.MapGetAndHead(ApiRoutes.ProjectByKey, (HttpRequest r, string key, ProjectsApi a) => a.GetAsync(r, key));
        api.MapPatch(ApiRoutes.ProjectByKey, (HttpRequest r, string key, ProjectsApi a) => a.UpdateAsync(r, key));
        api.MapGetAndHead(ApiRoutes.ProjectBoard, (HttpRequest r, string key, ProjectsApi a) => a.BoardAsync(r, key));
        api.MapGetAndHead(ApiRoutes.ProjectActivity, (HttpRequest r, string key, ProjectsApi a) => a.ActivityAsync(r, key));
        api.MapGetAndHead(ApiRoutes.ProjectChanges, (HttpRequest r, string key, ChangesApi a) => a.PullAsync(r, key));
        api.MapGetAndHead(ApiRoutes.ProjectMembers, (HttpRequest r, string key, MembersApi a) => a.ListAsync(r, key));
        api.MapPut(ApiRoutes.MemberById, (HttpRequest r, string key, string userId, MembersApi a) => a.PutAsync(r, key, userId));
        api.MapDelete(ApiRoutes.MemberById, (HttpRequest r, string key, string userId, MembersApi a) => a.DeleteAsync(r, key, userId));
        api.MapPost(ApiRoutes.ProjectTasks, (HttpRequest r, string key, TasksApi a) => a.CreateAsync(r, key));
        api.MapGetAndHead(ApiRoutes.ProjectTasks, (HttpRequest r, string key, TasksApi a) => a.ListAsync(r, key));
        api.MapGetAndHead(ApiRoutes.TaskById, (HttpRequest r, string id, TasksApi a) => a.GetAsync(r, id));
        api.MapPatch(ApiRoutes.TaskById, (HttpRequest r, string id, TasksApi a) => a.UpdateAsync(r, id));
        api.MapPost(ApiRoutes.TaskMove, (HttpRequest r, string id, TasksApi a) => a.MoveAsync(r, id));
        api.MapPost(ApiRoutes.TaskArchive, (HttpRequest r, string id, TasksApi a) => a.ArchiveAsync(r, id));
        api.MapPost(ApiRoutes.TaskRestore, (HttpRequest r, string id, TasksApi a) => a.RestoreAsync(r, id));
        api.MapGetAndHead(ApiRoutes.TaskHistory, (HttpRequest r, string id, TasksApi a) => a.HistoryAsync(r, id));
        api.MapPost(ApiRoutes.TaskComments, (HttpRequest r, string id, CommentsApi a) => a.AddAsync(r, id));
        api.MapGetAndHead(ApiRoutes.TaskComments, (HttpRequest r, string id, CommentsApi a) => a.ListAsync(r, id));
        api.MapPatch(ApiRoutes.CommentById, (HttpRequest r, string id, string commentId, CommentsApi a) => a.EditAsync(r, id, commentId));
        api.MapDelete(ApiRoutes.CommentById, (HttpRequest r, string id, string commentId, CommentsApi a) => a.DeleteAsync(r, id, commentId));
        api.MapPost(ApiRoutes.TaskFollowups, (HttpRequest r, string id, FollowupsApi a) => a.AddAsync(r, id));
        api.MapGetAndHead(ApiRoutes.TaskFollowups, (HttpRequest r, string id, FollowupsApi a) => a.ListAsync(r, id));
        api.MapPatch(ApiRoutes.FollowupById, (HttpRequest r, string id, string followupId, FollowupsApi a) => a.UpdateAsync(r, id, followupId));
        api.MapGetAndHead(ApiRoutes.ProjectFollowups, (HttpRequest r, string key, FollowupsApi a) => a.ListProjectAsync(r, key));
        api.MapGetAndHead(ApiRoutes.DeadLetters, (HttpRequest r, AdminApi a) => a.ListDeadLettersAsync(r));
        api.MapPost(ApiRoutes.DeadLettersRedrive, (HttpRequest r, AdminApi a) => a.RedriveAsync(r));
        api.MapGetAndHead(ApiRoutes.AdminProjects, (HttpRequest r, AdminApi a) => a.ListProjectsAsync(r));
        return app;
    }

    private static readonly string[] GetAndHead = [HttpMethods.Get, HttpMethods.Head];

    /// <summary>Every GET answers HEAD too: the same status and headers, no body (<see cref="JsonResponse"/> leaves it out).</summary>
    private static RouteHandlerBuilder MapGetAndHead(this IEndpointRouteBuilder app, string template, Delegate handler) =>
        app.MapMethods(template, GetAndHead, handler);
}
