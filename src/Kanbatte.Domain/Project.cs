namespace Kanbatte.Domain;

public sealed record ProjectState(
    string Key, string Name, string? Description, string? Repository,
    int Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record CreateProject(string? Key, string? Name, string? Description, string? Repository);

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

    public static IDomainEvent Create(ProjectState? state, CreateProject cmd)
    {
        Validate(cmd);
        if (state is not null) throw new ConflictException($"Project '{cmd.Key}' already exists.");
        return new ProjectCreated(cmd.Key!, cmd.Name!, cmd.Description, cmd.Repository);
    }

    public static ProjectState? Evolve(ProjectState? state, IDomainEvent e, int version, DateTimeOffset at) => e switch
    {
        ProjectCreated c => new ProjectState(c.Key, c.Name, c.Description, c.Repository, version, at, at),
        _ => state is null ? null : state with { Version = version },
    };
}
