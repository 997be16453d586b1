using System.Collections.Immutable;

namespace Kanbatte.Domain;

public static class TaskDecider
{
    public static void Validate(CreateTask cmd) =>
        ValidateFields(titleRequired: true, cmd.Title, cmd.Description, cmd.Status, cmd.Priority, cmd.Assignee, cmd.Labels);

    public static void Validate(ChangeTask cmd) =>
        ValidateFields(titleRequired: false, cmd.Title, cmd.Description, cmd.Status, cmd.Priority, cmd.Assignee, cmd.Labels);

    private static void ValidateFields(bool titleRequired, string? title, string? description, string? status, string? priority, string? assignee, IReadOnlyList<string>? labels)
    {
        var v = new Violations();
        Rules.Line(v, "title", title, Rules.TitleMax, required: titleRequired);
        Rules.Text(v, "description", description, Rules.TaskDescriptionMax, required: false, allowEmpty: true);
        Rules.Status(v, "status", status);
        Rules.Priority(v, "priority", priority);
        Rules.Line(v, "assignee", assignee, Rules.AssigneeMax, required: false);
        Rules.Labels(v, "labels", labels);
        v.ThrowIfAny();
    }

    public static void Validate(AddComment cmd)
    {
        var v = new Violations();
        Rules.Text(v, "body", cmd.Body, Rules.CommentBodyMax, required: true, allowEmpty: false);
        v.ThrowIfAny();
    }

    public static void ValidateCommentBody(string? body)
    {
        var v = new Violations();
        Rules.Text(v, "body", body, Rules.CommentBodyMax, required: true, allowEmpty: false);
        v.ThrowIfAny();
    }

    /// <summary>A new task goes to the bottom of its column: <paramref name="rank"/> is the clock's bottom rank.</summary>
    public static IDomainEvent Create(ProjectState? project, string projectKey, int number, CreateTask cmd, string rank)
    {
        Validate(cmd);
        if (project is null) throw new NotFoundException("Project", projectKey);
        return new TaskCreated(TaskId.Format(project.Key, number), project.Key, number, cmd.Title!, cmd.Description ?? "",
            cmd.Status ?? Statuses.Todo, cmd.Priority ?? Priorities.None, cmd.Assignee,
            cmd.Labels is null ? [] : Rules.NormalizeLabels(cmd.Labels), cmd.DueDate, rank);
    }

    /// <summary>
    /// Returns the one event holding exactly the fields that change, or nothing when the change is a no-op.
    /// A status change keeps the task's rank; placing it among neighbours is a move.
    /// </summary>
    public static IReadOnlyList<IDomainEvent> Change(TaskState? task, string taskId, ChangeTask cmd)
    {
        Validate(cmd);
        if (task is null) throw new NotFoundException("Task", taskId);
        var clear = cmd.Clear ?? new HashSet<string>();
        var cleared = new List<string>();
        if (clear.Contains("assignee") && task.Assignee is not null) cleared.Add("assignee");
        if (clear.Contains("dueDate") && task.DueDate is not null) cleared.Add("dueDate");
        var labels = cmd.Labels is null ? null : Rules.NormalizeLabels(cmd.Labels);
        if (clear.Contains("labels") && task.Labels.Count > 0) labels = [];
        var changed = new TaskUpdated(
            Title: cmd.Title is not null && cmd.Title != task.Title ? cmd.Title : null,
            Description: cmd.Description is not null && cmd.Description != task.Description ? cmd.Description : null,
            Status: cmd.Status is not null && cmd.Status != task.Status ? cmd.Status : null,
            Priority: cmd.Priority is not null && cmd.Priority != task.Priority ? cmd.Priority : null,
            Assignee: cmd.Assignee is not null && cmd.Assignee != task.Assignee ? cmd.Assignee : null,
            Labels: labels is not null && !labels.SequenceEqual(task.Labels) ? labels : null,
            DueDate: cmd.DueDate is not null && cmd.DueDate != task.DueDate ? cmd.DueDate : null,
            Cleared: cleared.Count > 0 ? cleared : null);
        return changed.IsEmpty ? [] : [changed];
    }

    public static void ValidateMove(string? status)
    {
        var v = new Violations();
        Rules.Status(v, "status", status);
        v.ThrowIfAny();
    }

    /// <summary>Places the task at <paramref name="rank"/>, in <paramref name="status"/>'s column when given.</summary>
    public static IReadOnlyList<IDomainEvent> Move(TaskState? task, string taskId, string? status, string rank)
    {
        ValidateMove(status);
        if (task is null) throw new NotFoundException("Task", taskId);
        var newStatus = status is not null && status != task.Status ? status : null;
        return newStatus is null && rank == task.Rank ? [] : [new TaskMoved(newStatus, rank)];
    }

    public static IReadOnlyList<IDomainEvent> Archive(TaskState? task, string taskId) =>
        (task ?? throw new NotFoundException("Task", taskId)).Archived ? [] : [new TaskArchived()];

    public static IReadOnlyList<IDomainEvent> Restore(TaskState? task, string taskId) =>
        (task ?? throw new NotFoundException("Task", taskId)).Archived ? [new TaskRestored()] : [];

    /// <summary>A comment by <paramref name="author"/>, the caller.</summary>
    public static IDomainEvent Comment(TaskState? task, string taskId, int number, AddComment cmd, UserRef author)
    {
        Validate(cmd);
        if (task is null) throw new NotFoundException("Task", taskId);
        return new CommentAdded(CommentId.Format(number), number, cmd.Body!, author.Name, author.Id);
    }

    /// <summary>
    /// Edits a comment: 404 when it is not there, 403 unless the caller wrote it or <paramref name="mayChangeAny"/>
    /// (the project's owners), then the body's rules. The same body again changes nothing.
    /// </summary>
    public static IReadOnlyList<IDomainEvent> EditComment(TaskStream? stream, string taskId, string commentId, string? body, string callerId, bool mayChangeAny)
    {
        var comment = ChangeableComment(stream, taskId, commentId, callerId, mayChangeAny);
        ValidateCommentBody(body);
        return comment.Body == body ? [] : [new CommentEdited(commentId, body!)];
    }

    public static IReadOnlyList<IDomainEvent> DeleteComment(TaskStream? stream, string taskId, string commentId, string callerId, bool mayChangeAny)
    {
        ChangeableComment(stream, taskId, commentId, callerId, mayChangeAny);
        return [new CommentDeleted(commentId)];
    }

    /// <summary>
    /// A live comment of the task the caller may change; 404 for a missing task, or a comment it never had or that was
    /// deleted; 403 for someone else's (comments from before users existed have no author id: only owners change them).
    /// </summary>
    public static CommentState ChangeableComment(TaskStream? stream, string taskId, string commentId, string callerId, bool mayChangeAny)
    {
        if (stream is null) throw new NotFoundException("Task", taskId);
        var comment = stream.Comments.GetValueOrDefault(commentId) ?? throw new NotFoundException("Comment", commentId);
        if (!mayChangeAny && comment.AuthorId != callerId)
            throw new ForbiddenException($"Comment '{commentId}' is someone else's: only its author or an owner of the project may change it.");
        return comment;
    }

    public static void Validate(AddFollowup cmd)
    {
        var v = new Violations();
        Rules.Text(v, "body", cmd.Body, Rules.FollowupBodyMax, required: true, allowEmpty: false);
        v.ThrowIfAny();
    }

    public static void Validate(ChangeFollowup cmd)
    {
        var v = new Violations();
        if (cmd.Status is not null && !FollowupStatuses.All.Contains(cmd.Status))
            v.Add("status", $"must be one of {string.Join(", ", FollowupStatuses.All)}.");
        Rules.Text(v, "body", cmd.Body, Rules.FollowupBodyMax, required: false, allowEmpty: false);
        if (cmd.Status is null && cmd.Body is null) v.Add("body", "a change needs a status or a body.");
        v.ThrowIfAny();
    }

    /// <summary>A followup by <paramref name="author"/>, the caller; open.</summary>
    public static IDomainEvent Followup(TaskState? task, string taskId, int number, AddFollowup cmd, UserRef author)
    {
        Validate(cmd);
        if (task is null) throw new NotFoundException("Task", taskId);
        return new FollowupAdded(FollowupId.Format(number), number, cmd.Body!, author.Id, author.Name);
    }

    /// <summary>
    /// Changes a followup: 404 when the task has none by that id; any member may change its status, but only its author
    /// or an owner (<paramref name="mayChangeAny"/>) its body (403); then the rules. What is already so changes nothing.
    /// </summary>
    public static IReadOnlyList<IDomainEvent> UpdateFollowup(TaskStream? stream, string taskId, string followupId, ChangeFollowup cmd, string callerId, bool mayChangeAny)
    {
        if (stream is null) throw new NotFoundException("Task", taskId);
        var followup = stream.Followups.GetValueOrDefault(followupId) ?? throw new NotFoundException("Followup", followupId);
        if (cmd.Body is not null && !mayChangeAny && followup.AuthorId != callerId)
            throw new ForbiddenException($"Followup '{followupId}' is someone else's: only its author or an owner of the project may change its text; any member may change its status.");
        Validate(cmd);
        var changed = new FollowupUpdated(followupId,
            Status: cmd.Status is not null && cmd.Status != followup.Status ? cmd.Status : null,
            Body: cmd.Body is not null && cmd.Body != followup.Body ? cmd.Body : null);
        return changed.Status is null && changed.Body is null ? [] : [changed];
    }

    /// <summary>The task stream as its events leave it: the task's fields (<see cref="Evolve"/>), its comments (<see cref="EvolveComment"/>) and followups (<see cref="EvolveFollowup"/>).</summary>
    public static TaskStream? EvolveStream(TaskStream? state, IDomainEvent e, int version, DateTimeOffset at)
    {
        var task = Evolve(state?.Task, e, version, at);
        if (task is null) return null;
        var comments = state?.Comments ?? TaskStream.NoComments;
        if (CommentIdOf(e) is { } id)
        {
            var comment = EvolveComment(comments.GetValueOrDefault(id), task.Id, e, at);
            comments = comment is null ? comments.Remove(id) : comments.SetItem(id, comment);
        }
        var followups = state?.Followups ?? TaskStream.NoFollowups;
        if (FollowupIdOf(e) is { } followupId && EvolveFollowup(followups.GetValueOrDefault(followupId), task.Id, e, at) is { } followup)
            followups = followups.SetItem(followupId, followup);
        return new TaskStream(task, comments) { Followups = followups };
    }

    /// <summary>The task as its stream's events leave it. Comment events advance the stream's version but not the task's fields.</summary>
    public static TaskState? Evolve(TaskState? state, IDomainEvent e, int version, DateTimeOffset at) => e switch
    {
        TaskCreated c => new TaskState(c.Id, c.ProjectKey, c.Number, c.Title, c.Description, c.Status,
            c.Priority, c.Assignee, c.Labels, c.DueDate, c.Rank, false, version, at, at),
        TaskUpdated u when state is not null => state with
        {
            Title = u.Title ?? state.Title,
            Description = u.Description ?? state.Description,
            Status = u.Status ?? state.Status,
            Priority = u.Priority ?? state.Priority,
            Assignee = u.Cleared?.Contains("assignee") == true ? null : u.Assignee ?? state.Assignee,
            Labels = u.Labels ?? state.Labels,
            DueDate = u.Cleared?.Contains("dueDate") == true ? null : u.DueDate ?? state.DueDate,
            Rank = u.Rank ?? state.Rank,
            Version = version,
            UpdatedAt = at,
        },
        TaskMoved m when state is not null => state with { Status = m.Status ?? state.Status, Rank = m.Rank, Version = version, UpdatedAt = at },
        TaskArchived when state is not null => state with { Archived = true, Version = version, UpdatedAt = at },
        TaskRestored when state is not null => state with { Archived = false, Version = version, UpdatedAt = at },
        _ => state is null ? null : state with { Version = version },
    };

    /// <summary>The comment an event is about, or null for an event about the task itself.</summary>
    public static string? CommentIdOf(IDomainEvent e) =>
        e switch { CommentAdded a => a.CommentId, CommentEdited c => c.CommentId, CommentDeleted d => d.CommentId, _ => null };

    /// <summary>The followup an event is about, or null.</summary>
    public static string? FollowupIdOf(IDomainEvent e) =>
        e switch { FollowupAdded a => a.FollowupId, FollowupUpdated u => u.FollowupId, _ => null };

    /// <summary>One followup as the task stream's events leave it; events about other followups pass it by.</summary>
    public static FollowupState? EvolveFollowup(FollowupState? state, string taskId, IDomainEvent e, DateTimeOffset at) => e switch
    {
        FollowupAdded a when state is null || state.Id == a.FollowupId =>
            new FollowupState(a.FollowupId, taskId, a.Number, a.Body, FollowupStatuses.Open, a.AuthorId, a.Author, at, at),
        FollowupUpdated u when state?.Id == u.FollowupId => state with { Status = u.Status ?? state.Status, Body = u.Body ?? state.Body, UpdatedAt = at },
        _ => state,
    };

    /// <summary>One comment as the task stream's events leave it; events about other comments pass it by.</summary>
    public static CommentState? EvolveComment(CommentState? state, string taskId, IDomainEvent e, DateTimeOffset at) => e switch
    {
        CommentAdded c when state is null || state.Id == c.CommentId => new CommentState(c.CommentId, taskId, c.Number, c.Body, c.AuthorId, c.Author, at, null),
        CommentEdited c when state?.Id == c.CommentId => state with { Body = c.Body, EditedAt = at },
        CommentDeleted c when state?.Id == c.CommentId => null,
        _ => state,
    };
}
