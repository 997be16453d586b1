namespace Kanbatte.Domain;

public sealed record TaskState(
    string Id, string ProjectKey, int Number, string Title, string Description, string Status,
    int Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record CommentState(string Id, string TaskId, int Number, string Body, string? Author, DateTimeOffset CreatedAt);

public sealed record CreateTask(string? Title, string? Description, string? Status);

/// <summary>A partial change: a null field is left as it is.</summary>
public sealed record ChangeTask(string? Title, string? Description, string? Status);

public sealed record AddComment(string? Body, string? Author);

public static class TaskDecider
{
    public static void Validate(CreateTask cmd)
    {
        var v = new Violations();
        Rules.Line(v, "title", cmd.Title, Rules.TitleMax, required: true);
        Rules.Text(v, "description", cmd.Description, Rules.TaskDescriptionMax, required: false, allowEmpty: true);
        Rules.Status(v, "status", cmd.Status);
        v.ThrowIfAny();
    }

    public static void Validate(ChangeTask cmd)
    {
        var v = new Violations();
        Rules.Line(v, "title", cmd.Title, Rules.TitleMax, required: false);
        Rules.Text(v, "description", cmd.Description, Rules.TaskDescriptionMax, required: false, allowEmpty: true);
        Rules.Status(v, "status", cmd.Status);
        v.ThrowIfAny();
    }

    public static void Validate(AddComment cmd)
    {
        var v = new Violations();
        Rules.Text(v, "body", cmd.Body, Rules.CommentBodyMax, required: true, allowEmpty: false);
        Rules.Line(v, "author", cmd.Author, Rules.AuthorMax, required: false);
        v.ThrowIfAny();
    }

    public static IDomainEvent Create(ProjectState? project, string projectKey, int number, CreateTask cmd)
    {
        Validate(cmd);
        if (project is null) throw new NotFoundException("Project", projectKey);
        return new TaskCreated(TaskId.Format(project.Key, number), project.Key, number, cmd.Title!, cmd.Description ?? "", cmd.Status ?? Statuses.Todo);
    }

    /// <summary>Returns the one event holding what actually changes, or nothing when the change is a no-op.</summary>
    public static IReadOnlyList<IDomainEvent> Change(TaskState? task, string taskId, ChangeTask cmd)
    {
        Validate(cmd);
        if (task is null) throw new NotFoundException("Task", taskId);
        var changed = new TaskUpdated(
            cmd.Title is not null && cmd.Title != task.Title ? cmd.Title : null,
            cmd.Description is not null && cmd.Description != task.Description ? cmd.Description : null,
            cmd.Status is not null && cmd.Status != task.Status ? cmd.Status : null);
        return changed == new TaskUpdated() ? [] : [changed];
    }

    public static IDomainEvent Comment(TaskState? task, string taskId, int number, AddComment cmd)
    {
        Validate(cmd);
        if (task is null) throw new NotFoundException("Task", taskId);
        return new CommentAdded(CommentId.Format(number), number, cmd.Body!, cmd.Author);
    }

    /// <summary>The task as its stream's events leave it. Comments advance the stream's version but not the task's fields.</summary>
    public static TaskState? Evolve(TaskState? state, IDomainEvent e, int version, DateTimeOffset at) => e switch
    {
        TaskCreated c => new TaskState(c.Id, c.ProjectKey, c.Number, c.Title, c.Description, c.Status, version, at, at),
        TaskUpdated u when state is not null => state with
        {
            Title = u.Title ?? state.Title,
            Description = u.Description ?? state.Description,
            Status = u.Status ?? state.Status,
            Version = version,
            UpdatedAt = at,
        },
        _ => state is null ? null : state with { Version = version },
    };

    /// <summary>A comment as the task stream's events leave it.</summary>
    public static CommentState? EvolveComment(CommentState? state, string taskId, IDomainEvent e, DateTimeOffset at) => e switch
    {
        CommentAdded c => new CommentState(c.CommentId, taskId, c.Number, c.Body, c.Author, at),
        _ => state,
    };
}
