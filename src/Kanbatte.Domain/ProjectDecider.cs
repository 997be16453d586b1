namespace Kanbatte.Domain;

public static class ProjectDecider
{
    public static void Validate(CreateProject cmd)
    {
        var v = new Violations();
        if (cmd.Key is null) v.Add("key", "is required.");
        else if (!ProjectKey.IsValid(cmd.Key)) v.Add("key", "must be 2-10 characters A-Z and 0-9, starting with a letter.");
        Rules.Line(v, "name", cmd.Name, Rules.ProjectNameMax, required: true);
        Rules.Text(v, "description", cmd.Description, Rules.ProjectDescriptionMax, required: false, allowEmpty: true);
        Rules.Repository(v, "repository", cmd.Repository);
        v.ThrowIfAny();
    }

    public static void Validate(ChangeProject cmd)
    {
        var v = new Violations();
        Rules.Line(v, "name", cmd.Name, Rules.ProjectNameMax, required: false);
        Rules.Text(v, "description", cmd.Description, Rules.ProjectDescriptionMax, required: false, allowEmpty: true);
        Rules.Repository(v, "repository", cmd.Repository);
        v.ThrowIfAny();
    }

    /// <summary>A new project, whose first owner is <paramref name="owner"/>, the user creating it (one event).</summary>
    public static IDomainEvent Create(ProjectState? state, CreateProject cmd, UserRef owner)
    {
        Validate(cmd);
        if (state is not null) throw new ConflictException($"Project '{cmd.Key}' already exists.");
        return new ProjectCreated(cmd.Key!, cmd.Name!, cmd.Description, cmd.Repository, owner);
    }

    public static void ValidateMember(string userId, string? role, string? name)
    {
        var v = new Violations();
        if (userId.Length is 0 or > Rules.UserIdMax || userId.Any(char.IsControl)) v.Add("userId", $"must be a user id of 1-{Rules.UserIdMax} characters.");
        if (role is null) v.Add("role", "is required.");
        else if (!ProjectRoles.IsValid(role)) v.Add("role", $"must be one of {string.Join(", ", ProjectRoles.All)}.");
        Rules.Line(v, "name", name, Rules.MemberNameMax, required: false);
        v.ThrowIfAny();
    }

    /// <summary>
    /// Adds a member or changes their role (a member's name is the one given when they were added). The last owner
    /// cannot be demoted: 409. A project without an owner (made before users existed) gets an owner first.
    /// </summary>
    public static IReadOnlyList<IDomainEvent> SetMember(ProjectStream? stream, string key, string userId, string? role, string? name)
    {
        if (stream is null) throw new NotFoundException("Project", key);
        ValidateMember(userId, role, name);
        if (!stream.HasOwner && role != ProjectRoles.Owner)
            throw new ConflictException($"Project '{key}' has no owner: its first member must be an owner.");
        if (stream.Members.GetValueOrDefault(userId) is not { } member)
            return [new MemberAdded(userId, string.IsNullOrWhiteSpace(name) ? userId : name, role!)];
        if (member.Role == role) return [];
        if (member.Role == ProjectRoles.Owner && IsLastOwner(stream, userId))
            throw new ConflictException($"'{userId}' is the last owner of project '{key}': make another member an owner first.");
        return [new MemberRoleChanged(userId, role!)];
    }

    public static IReadOnlyList<IDomainEvent> RemoveMember(ProjectStream? stream, string key, string userId)
    {
        if (stream is null) throw new NotFoundException("Project", key);
        var member = stream.Members.GetValueOrDefault(userId) ?? throw new NotFoundException("Member", userId);
        if (member.Role == ProjectRoles.Owner && IsLastOwner(stream, userId))
            throw new ConflictException($"'{userId}' is the last owner of project '{key}': make another member an owner first.");
        return [new MemberRemoved(userId)];
    }

    private static bool IsLastOwner(ProjectStream stream, string userId) =>
        !stream.Members.Values.Any(m => m.Role == ProjectRoles.Owner && m.UserId != userId);

    public static IReadOnlyList<IDomainEvent> Change(ProjectState? state, string key, ChangeProject cmd)
    {
        Validate(cmd);
        if (state is null) throw new NotFoundException("Project", key);
        var clear = cmd.Clear ?? new HashSet<string>();
        var cleared = new List<string>();
        if (clear.Contains("description") && state.Description is not null) cleared.Add("description");
        if (clear.Contains("repository") && state.Repository is not null) cleared.Add("repository");
        var changed = new ProjectUpdated(
            cmd.Name is not null && cmd.Name != state.Name ? cmd.Name : null,
            cmd.Description is not null && cmd.Description != state.Description ? cmd.Description : null,
            cmd.Repository is not null && cmd.Repository != state.Repository ? cmd.Repository : null,
            cleared.Count > 0 ? cleared : null);
        return changed is { Name: null, Description: null, Repository: null, Cleared: null } ? [] : [changed];
    }

    /// <summary>The project stream as its events leave it: the project's fields (<see cref="Evolve"/>) and its members.</summary>
    public static ProjectStream? EvolveStream(ProjectStream? state, IDomainEvent e, int version, DateTimeOffset at)
    {
        var project = Evolve(state?.Project, e, version, at);
        if (project is null) return null;
        var members = state?.Members ?? ProjectStream.NoMembers;
        members = e switch
        {
            ProjectCreated { Owner: { } owner } => members.SetItem(owner.Id, new Member(owner.Id, owner.Name, ProjectRoles.Owner, at)),
            MemberAdded a => members.SetItem(a.UserId, new Member(a.UserId, a.Name, a.Role, at)),
            MemberRoleChanged c when members.TryGetValue(c.UserId, out var m) => members.SetItem(c.UserId, m with { Role = c.Role }),
            MemberRemoved r => members.Remove(r.UserId),
            _ => members,
        };
        return new ProjectStream(project, members);
    }

    /// <summary>The member an event is about (a project's creation is about its first owner), or null.</summary>
    public static string? MemberIdOf(IDomainEvent e) => e switch
    {
        ProjectCreated c => c.Owner?.Id,
        MemberAdded a => a.UserId,
        MemberRoleChanged c => c.UserId,
        MemberRemoved r => r.UserId,
        _ => null,
    };

    /// <summary>The project's own fields as its stream's events leave them; member events only advance its version.</summary>
    public static ProjectState? Evolve(ProjectState? state, IDomainEvent e, int version, DateTimeOffset at) => e switch
    {
        ProjectCreated c => new ProjectState(c.Key, c.Name, c.Description, c.Repository, version, at, at),
        ProjectUpdated u when state is not null => state with
        {
            Name = u.Name ?? state.Name,
            Description = u.Cleared?.Contains("description") == true ? null : u.Description ?? state.Description,
            Repository = u.Cleared?.Contains("repository") == true ? null : u.Repository ?? state.Repository,
            Version = version,
            UpdatedAt = at,
        },
        _ => state is null ? null : state with { Version = version },
    };
}
