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

    public static IDomainEvent Create(ProjectState? state, CreateProject cmd)
    {
        Validate(cmd);
        if (state is not null) throw new ConflictException($"Project '{cmd.Key}' already exists.");
        return new ProjectCreated(cmd.Key!, cmd.Name!, cmd.Description, cmd.Repository);
    }

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
