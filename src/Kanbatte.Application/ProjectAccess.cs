using Kanbatte.Domain;

namespace Kanbatte.Application;

/// <summary>
/// Who may see and do what in a project, from the project stream's members (loaded as the write pipeline loads, so on
/// the self-hosted server from its cache, and never from a view that may lag). A user who is not a member sees nothing
/// of the project: every answer about it is the 404 the caller names, as if it did not exist.
/// </summary>
public sealed class ProjectAccess(WritePipeline pipeline)
{
    /// <summary>The project, if the caller is one of its members; null otherwise (or when there is no such project).</summary>
    public async Task<ProjectStream?> MemberOfAsync(Caller caller, string projectKey, CancellationToken ct)
    {
        if (!ProjectKey.IsValid(projectKey)) return null;
        var project = await pipeline.LoadAsync(StreamIds.Project(projectKey), StreamFolds.Project, ct);
        return project?.RoleOf(caller.Id) is null ? null : project;
    }

    /// <summary>The project, for a member with at least <paramref name="role"/>: <paramref name="notFound"/> for anyone else, 403 for a lower role.</summary>
    public async Task<ProjectStream> RequireAsync(Caller caller, string projectKey, string role, Func<NotFoundException> notFound, CancellationToken ct)
    {
        var project = await MemberOfAsync(caller, projectKey, ct) ?? throw notFound();
        RequireRole(project, caller, role);
        return project;
    }

    /// <summary>
    /// The user ids of the project's members now (none for an unknown project): whom a change may be told to. Read from
    /// the log, not a cached state: a change is told as soon as it is projected, which can be before its writer has
    /// cached the stream's new state.
    /// </summary>
    public async Task<IReadOnlyList<string>> MembersAsync(string projectKey, CancellationToken ct)
    {
        var project = await pipeline.LoadCurrentAsync(StreamIds.Project(projectKey), StreamFolds.Project, ct);
        return project is null ? [] : project.Members.Keys.ToList();
    }

    public static void RequireRole(ProjectStream project, Caller caller, string role)
    {
        var held = project.RoleOf(caller.Id) ?? throw new InvalidOperationException("Membership is checked first.");
        if (!ProjectRoles.Includes(held, role))
            throw new ForbiddenException($"This needs the {role} role in project {project.Project.Key}; you are a {held}.");
    }
}
