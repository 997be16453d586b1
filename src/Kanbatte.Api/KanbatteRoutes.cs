using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Kanbatte.Api;

/// <summary>The route table of the self-hosted server. The function app declares the same routes, one function each.</summary>
public static class KanbatteRoutes
{
    public static IEndpointRouteBuilder MapKanbatteApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/health", (HttpRequest r, KanbatteApi a) => a.HealthAsync(r));
        api.MapGet("/openapi.json", (HttpRequest r, KanbatteApi a) => a.OpenApiAsync(r));
        api.MapPost("/projects", (HttpRequest r, KanbatteApi a) => a.CreateProjectAsync(r));
        api.MapGet("/projects", (HttpRequest r, KanbatteApi a) => a.ListProjectsAsync(r));
        api.MapGet("/projects/{key}", (HttpRequest r, string key, KanbatteApi a) => a.GetProjectAsync(r, key));
        api.MapPatch("/projects/{key}", (HttpRequest r, string key, KanbatteApi a) => a.UpdateProjectAsync(r, key));
        api.MapGet("/projects/{key}/board", (HttpRequest r, string key, KanbatteApi a) => a.BoardAsync(r, key));
        api.MapGet("/projects/{key}/activity", (HttpRequest r, string key, KanbatteApi a) => a.ActivityAsync(r, key));
        api.MapPost("/projects/{key}/tasks", (HttpRequest r, string key, KanbatteApi a) => a.CreateTaskAsync(r, key));
        api.MapGet("/projects/{key}/tasks", (HttpRequest r, string key, KanbatteApi a) => a.ListTasksAsync(r, key));
        api.MapGet("/tasks/{id}", (HttpRequest r, string id, KanbatteApi a) => a.GetTaskAsync(r, id));
        api.MapPatch("/tasks/{id}", (HttpRequest r, string id, KanbatteApi a) => a.UpdateTaskAsync(r, id));
        api.MapPost("/tasks/{id}/move", (HttpRequest r, string id, KanbatteApi a) => a.MoveTaskAsync(r, id));
        api.MapPost("/tasks/{id}/archive", (HttpRequest r, string id, KanbatteApi a) => a.ArchiveTaskAsync(r, id));
        api.MapPost("/tasks/{id}/restore", (HttpRequest r, string id, KanbatteApi a) => a.RestoreTaskAsync(r, id));
        api.MapPost("/tasks/{id}/comments", (HttpRequest r, string id, KanbatteApi a) => a.AddCommentAsync(r, id));
        api.MapGet("/tasks/{id}/comments", (HttpRequest r, string id, KanbatteApi a) => a.ListCommentsAsync(r, id));
        api.MapPatch("/tasks/{id}/comments/{commentId}", (HttpRequest r, string id, string commentId, KanbatteApi a) => a.EditCommentAsync(r, id, commentId));
        api.MapDelete("/tasks/{id}/comments/{commentId}", (HttpRequest r, string id, string commentId, KanbatteApi a) => a.DeleteCommentAsync(r, id, commentId));
        api.MapGet("/tasks/{id}/history", (HttpRequest r, string id, KanbatteApi a) => a.TaskHistoryAsync(r, id));
        api.MapGet("/admin/dead-letters", (HttpRequest r, KanbatteAdminApi a) => a.ListDeadLettersAsync(r));
        api.MapPost("/admin/dead-letters/redrive", (HttpRequest r, KanbatteAdminApi a) => a.RedriveAsync(r));
        return app;
    }
}
