namespace Kanbatte.Api;

/// <summary>
/// Every route template, written once: the self-hosted server maps them under <see cref="Prefix"/> (see
/// <see cref="KanbatteRoutes"/>) and each function's <c>[HttpTrigger]</c> names one, under the Functions host's
/// <c>routePrefix</c> (host.json), which is the same prefix.
/// </summary>
public static class ApiRoutes
{
    public const string Prefix = "api";

    public const string Health = "health";
    public const string OpenApi = "openapi.json";
    public const string Me = "me";
    public const string Projects = "projects";
    public const string ProjectByKey = "projects/{key}";
    public const string ProjectBoard = "projects/{key}/board";
    public const string ProjectActivity = "projects/{key}/activity";
    public const string ProjectChanges = "projects/{key}/changes";
    public const string ProjectTasks = "projects/{key}/tasks";
    public const string ProjectMembers = "projects/{key}/members";
    public const string MemberById = "projects/{key}/members/{userId}";
    public const string TaskById = "tasks/{id}";
    public const string TaskMove = "tasks/{id}/move";
    public const string TaskArchive = "tasks/{id}/archive";
    public const string TaskRestore = "tasks/{id}/restore";
    public const string TaskHistory = "tasks/{id}/history";
    public const string TaskComments = "tasks/{id}/comments";
    public const string CommentById = "tasks/{id}/comments/{commentId}";
    public const string TaskFollowups = "tasks/{id}/followups";
    public const string FollowupById = "tasks/{id}/followups/{followupId}";
    public const string ProjectFollowups = "projects/{key}/followups";
    public const string DeadLetters = "admin/dead-letters";
    public const string DeadLettersRedrive = "admin/dead-letters/redrive";
    public const string AdminProjects = "admin/projects";

    /// <summary>The push channel (SignalR): the server's hub; on Azure, its negotiate route sends clients to Azure SignalR Service.</summary>
    public const string Hub = "hub";
    public const string HubNegotiate = "hub/negotiate";
}
