using Kanbatte.Domain;

namespace Kanbatte.Application;

/// <summary>
/// The commands of the task board, each on behalf of a <see cref="Caller"/>. Every command runs through
/// <see cref="WritePipeline"/>: the stream's state is loaded, the domain's decider decides, and what it decided is
/// appended. The checks come in one order on every command: 404 (not a member of the project, or no such entity), 403
/// (the member's role), then the request's own input (<c>input</c>: read only once the caller may make the request, so
/// a body is never judged for someone who may not send it), 412 (If-Match), 409. A refused command appends nothing.
/// </summary>
public sealed class KanbatteCommands(WritePipeline pipeline, ProjectAccess access, ICounterStore counters, IViewStore view, TimeProvider clock)
{
    public const string TaskCounter = "task";
    public const string CommentCounter = "comment";
    public const string FollowupCounter = "followup";

    /// <summary>Commands whose membership checks load project streams through the same pipeline.</summary>
    public KanbatteCommands(WritePipeline pipeline, ICounterStore counters, IViewStore view, TimeProvider clock)
        : this(pipeline, new ProjectAccess(pipeline), counters, view, clock) { }

    /// <summary>Any user may create a project, and is its first owner (in the same event).</summary>
    public async Task<ProjectState> CreateProjectAsync(Caller caller, Func<CreateProject> input, EventMetadata metadata, CancellationToken ct = default)
    {
        var cmd = input();
        ProjectDecider.Validate(cmd);
        // A new stream needs no read: the append at version 0 conflicts exactly when the key is taken, and the decider,
        // deciding again on what was read then, refuses it.
        var written = await pipeline.TransactAsync(StreamIds.Project(cmd.Key!), StreamFolds.Project,
            stream => Decided(ProjectDecider.Create(stream?.Project, cmd, new UserRef(caller.Id, caller.Name))), metadata, ct, LoadOption.AssumeEmpty);
        return written.State!.Project;
    }

    public async Task<ProjectState> ChangeProjectAsync(Caller caller, string key, Func<(ChangeProject Change, int? IfMatch)> input, EventMetadata metadata, CancellationToken ct = default)
    {
        var written = await TransactProjectAsync(caller, key, ProjectRoles.Owner, stream =>
        {
            var (cmd, ifMatch) = input();
            ProjectDecider.Validate(cmd);
            CheckVersion("Project", key, stream.Version, ifMatch);
            return ProjectDecider.Change(stream.Project, key, cmd);
        }, metadata, ct);
        return written.State!.Project;
    }

    /// <summary>
    /// Adds a member or changes their role: owners may; an operator may too, but only to give a project without an owner
    /// (one made before users existed) its first owner. Returns the member and whether they were added.
    /// </summary>
    public async Task<(Member Member, bool Added)> SetMemberAsync(Caller caller, string key, string userId, Func<(string? Role, string? Name)> input, EventMetadata metadata, CancellationToken ct = default)
    {
        var written = await TransactMembersAsync(caller, key, stream =>
        {
            var (role, name) = input();
            return ProjectDecider.SetMember(stream, key, userId, role, name);
        }, metadata, ct);
        var member = written.State!.Members[userId];
        return (member, written.Appended.Any(e => e.Type == EventTypes.MemberAdded));
    }

    public async Task RemoveMemberAsync(Caller caller, string key, string userId, Action input, EventMetadata metadata, CancellationToken ct = default) =>
        await TransactMembersAsync(caller, key, stream =>
        {
            input();
            return ProjectDecider.RemoveMember(stream, key, userId);
        }, metadata, ct);

    public async Task<TaskState> CreateTaskAsync(Caller caller, string projectKey, Func<CreateTask> input, EventMetadata metadata, CancellationToken ct = default)
    {
        var project = await access.RequireAsync(caller, projectKey, ProjectRoles.Member, () => new NotFoundException("Project", projectKey), ct);
        var cmd = input();
        TaskDecider.Validate(cmd);
        CheckAssignee(project, cmd.Assignee, current: null);
        while (true)
        {
            var number = await counters.NextAsync(projectKey, TaskCounter, ct);
            var written = await pipeline.TransactAsync(StreamIds.Task(TaskId.Format(projectKey, number)), StreamFolds.Task,
                // A number already in the log (a counter behind it) decides nothing: take the next; gaps are allowed, duplicates never.
                stream => Decided(stream is not null ? [] : [TaskDecider.Create(project.Project, projectKey, number, cmd, Ranks.Bottom(clock.GetUtcNow()))]),
                metadata, ct, LoadOption.AssumeEmpty);
            if (written.Appended.Count > 0) return written.State!.Task;
        }
    }

    /// <summary>Applies a partial change. A change that changes nothing appends nothing.</summary>
    public async Task<TaskState> ChangeTaskAsync(Caller caller, string taskId, Func<(ChangeTask Change, int? IfMatch)> input, EventMetadata metadata, CancellationToken ct = default)
    {
        var written = await TransactTaskAsync(caller, taskId, ProjectRoles.Member, (project, stream) =>
        {
            var (cmd, ifMatch) = input();
            TaskDecider.Validate(cmd);
            CheckAssignee(project, cmd.Assignee, stream.Task.Assignee);
            CheckVersion("Task", taskId, stream.Version, ifMatch);
            return Decided(TaskDecider.Change(stream.Task, taskId, cmd));
        }, metadata, ct);
        return written.State!.Task;
    }

    /// <summary>
    /// Places a task in a column between neighbours: <c>after</c> is the task it follows, <c>before</c> the one it
    /// precedes; with one of them the other is its current neighbour in the column, with neither the task goes below the
    /// column's last. Only the moved task's rank changes, unless there is no room left between its neighbours: then the
    /// column is rebalanced first (<see cref="RebalanceAsync"/>).
    /// </summary>
    public async Task<TaskState> MoveTaskAsync(Caller caller, string taskId, Func<(string? Status, string? Before, string? After, int? IfMatch)> input, EventMetadata metadata, CancellationToken ct = default)
    {
        var written = await TransactTaskAsync(caller, taskId, ProjectRoles.Member, async (_, stream) =>
        {
            var (status, before, after, ifMatch) = input();
            TaskDecider.ValidateMove(status);
            CheckVersion("Task", taskId, stream.Version, ifMatch);
            var rank = await RankForMoveAsync(stream.Task, status, before, after, metadata, ct);
            return TaskDecider.Move(stream.Task, taskId, status, rank);
        }, metadata, ct);
        return written.State!.Task;
    }

    public async Task<TaskState> ArchiveTaskAsync(Caller caller, string taskId, bool archive, Func<int?> input, EventMetadata metadata, CancellationToken ct = default)
    {
        var written = await TransactTaskAsync(caller, taskId, ProjectRoles.Member, (_, stream) =>
        {
            CheckVersion("Task", taskId, stream.Version, input());
            return Decided(archive ? TaskDecider.Archive(stream.Task, taskId) : TaskDecider.Restore(stream.Task, taskId));
        }, metadata, ct);
        return written.State!.Task;
    }

    /// <summary>A comment by the caller.</summary>
    public async Task<CommentState> AddCommentAsync(Caller caller, string taskId, Func<AddComment> input, EventMetadata metadata, CancellationToken ct = default)
    {
        int? number = null; // taken once, kept across a conflict's second decision
        var written = await TransactTaskAsync(caller, taskId, ProjectRoles.Member, async (_, stream) =>
        {
            var cmd = input();
            TaskDecider.Validate(cmd);
            number ??= await counters.NextAsync(stream.Task.ProjectKey, CommentCounter, ct);
            return [TaskDecider.Comment(stream.Task, taskId, number.Value, cmd, new UserRef(caller.Id, caller.Name))];
        }, metadata, ct);
        return written.State!.Comments[CommentId.Format(number!.Value)];
    }

    /// <summary>Members edit their own comments; owners any.</summary>
    public async Task<CommentState> EditCommentAsync(Caller caller, string taskId, string commentId, Func<string?> input, EventMetadata metadata, CancellationToken ct = default)
    {
        var written = await TransactTaskAsync(caller, taskId, ProjectRoles.Member, (project, stream) =>
        {
            TaskDecider.ChangeableComment(stream, taskId, commentId, caller.Id, IsOwner(project, caller)); // 404 and 403 before the body
            return Decided(TaskDecider.EditComment(stream, taskId, commentId, input(), caller.Id, IsOwner(project, caller)));
        }, metadata, ct);
        return written.State!.Comments[commentId];
    }

    public Task DeleteCommentAsync(Caller caller, string taskId, string commentId, Action input, EventMetadata metadata, CancellationToken ct = default) =>
        TransactTaskAsync(caller, taskId, ProjectRoles.Member, (project, stream) =>
        {
            var events = TaskDecider.DeleteComment(stream, taskId, commentId, caller.Id, IsOwner(project, caller));
            input();
            return Decided(events);
        }, metadata, ct);

    /// <summary>A followup by the caller (members and up), open.</summary>
    public async Task<FollowupState> AddFollowupAsync(Caller caller, string taskId, Func<AddFollowup> input, EventMetadata metadata, CancellationToken ct = default)
    {
        int? number = null; // taken once, kept across a conflict's second decision
        var written = await TransactTaskAsync(caller, taskId, ProjectRoles.Member, async (_, stream) =>
        {
            var cmd = input();
            TaskDecider.Validate(cmd);
            number ??= await counters.NextAsync(stream.Task.ProjectKey, FollowupCounter, ct);
            return [TaskDecider.Followup(stream.Task, taskId, number.Value, cmd, new UserRef(caller.Id, caller.Name))];
        }, metadata, ct);
        return written.State!.Followups[FollowupId.Format(number!.Value)];
    }

    /// <summary>Members change any followup's status; its body only its author or an owner.</summary>
    public async Task<FollowupState> UpdateFollowupAsync(Caller caller, string taskId, string followupId, Func<ChangeFollowup> input, EventMetadata metadata, CancellationToken ct = default)
    {
        var written = await TransactTaskAsync(caller, taskId, ProjectRoles.Member, (project, stream) =>
        {
            if (!stream.Followups.ContainsKey(followupId)) throw new NotFoundException("Followup", followupId); // 404 before the body
            return Decided(TaskDecider.UpdateFollowup(stream, taskId, followupId, input(), caller.Id, IsOwner(project, caller)));
        }, metadata, ct);
        return written.State!.Followups[followupId];
    }

    /// <summary>
    /// A command on an existing task's stream by a member of its project: 404 for anyone else (and for a task that is not
    /// there), 403 for a member below <paramref name="role"/>; then <paramref name="decide"/>, with the caller's project.
    /// </summary>
    private async Task<Transacted<TaskStream>> TransactTaskAsync(
        Caller caller, string taskId, string role, Func<ProjectStream, TaskStream, Task<IReadOnlyList<IDomainEvent>>> decide, EventMetadata metadata, CancellationToken ct)
    {
        NotFoundException NotFound() => new("Task", taskId);
        if (!TaskId.TryParse(taskId, out var projectKey, out _)) throw NotFound();
        var project = await access.MemberOfAsync(caller, projectKey, ct) ?? throw NotFound();
        return await pipeline.TransactAsync(StreamIds.Task(taskId), StreamFolds.Task, stream =>
        {
            if (stream is null) throw NotFound();
            ProjectAccess.RequireRole(project, caller, role);
            return decide(project, stream);
        }, metadata, ct);
    }

    /// <summary>A command on a project's own stream by a member of it, as <see cref="TransactTaskAsync"/> for tasks.</summary>
    private Task<Transacted<ProjectStream>> TransactProjectAsync(
        Caller caller, string key, string role, Func<ProjectStream, IReadOnlyList<IDomainEvent>> decide, EventMetadata metadata, CancellationToken ct)
    {
        if (!ProjectKey.IsValid(key)) throw new NotFoundException("Project", key);
        return pipeline.TransactAsync(StreamIds.Project(key), StreamFolds.Project, stream =>
        {
            if (stream?.RoleOf(caller.Id) is null) throw new NotFoundException("Project", key);
            ProjectAccess.RequireRole(stream, caller, role);
            return Decided(decide(stream));
        }, metadata, ct);
    }

    /// <summary>
    /// Members are managed by owners; an operator who is not a member may only give a project without an owner its first
    /// one (403 where it has an owner; they see no more of it than that).
    /// </summary>
    private Task<Transacted<ProjectStream>> TransactMembersAsync(
        Caller caller, string key, Func<ProjectStream, IReadOnlyList<IDomainEvent>> decide, EventMetadata metadata, CancellationToken ct)
    {
        if (!ProjectKey.IsValid(key)) throw new NotFoundException("Project", key);
        return pipeline.TransactAsync(StreamIds.Project(key), StreamFolds.Project, stream =>
        {
            if (stream is null) throw new NotFoundException("Project", key);
            if (stream.RoleOf(caller.Id) is not null) ProjectAccess.RequireRole(stream, caller, ProjectRoles.Owner);
            else if (!caller.Admin) throw new NotFoundException("Project", key);
            else if (stream.HasOwner) throw new ForbiddenException($"Project '{key}' has an owner: its owners manage its members.");
            return Decided(decide(stream));
        }, metadata, ct);
    }

    /// <summary>An assignee a write sets must be a member of the project; one left as it is never fails (they may have left).</summary>
    private static void CheckAssignee(ProjectStream project, string? assignee, string? current)
    {
        if (assignee is not null && assignee != current && project.RoleOf(assignee) is null)
            throw new ValidationException("assignee", $"'{assignee}' is not a member of project {project.Project.Key}: assign tasks to members, by user id.");
    }

    private static bool IsOwner(ProjectStream project, Caller caller) => project.RoleOf(caller.Id) == ProjectRoles.Owner;

    private static Task<IReadOnlyList<IDomainEvent>> Decided(IReadOnlyList<IDomainEvent> events) => Task.FromResult(events);

    private static Task<IReadOnlyList<IDomainEvent>> Decided(IDomainEvent e) => Task.FromResult<IReadOnlyList<IDomainEvent>>([e]);

    private async Task<string> RankForMoveAsync(TaskState task, string? status, string? before, string? after, EventMetadata metadata, CancellationToken ct)
    {
        var column = status ?? task.Status;
        var next = before is null ? null : await NeighbourAsync(task, before, "before", column, ct);
        var previous = after is null ? null : await NeighbourAsync(task, after, "after", column, ct);
        if (previous is not null && next is not null && ColumnOrder(previous, next) > 0)
            throw new ValidationException("before", $"'{before}' is above '{after}' in the {column} column; the task cannot follow '{after}' and precede '{before}'.");
        if (previous is null && next is null)
        {
            // Below the last task: the clock's bottom, unless a moved task's rank is already beyond it.
            var last = await AdjacentAsync(task, column, null, descending: true, ct);
            var bottom = Ranks.Bottom(clock.GetUtcNow());
            if (last is null || string.CompareOrdinal(bottom, last.Rank) > 0) return bottom;
            previous = last;
        }
        // With one neighbour named, the other is the task next to it in the column (the moved task itself excluded).
        else if (previous is null) previous = await AdjacentAsync(task, column, next, descending: true, ct);
        else next ??= await AdjacentAsync(task, column, previous, descending: false, ct);
        return Ranks.Between(previous?.Rank, next?.Rank) ?? await RebalanceAsync(task, column, previous, metadata, ct);
    }

    /// <summary>
    /// No room left between the neighbours (moves again and again into one gap; see <see cref="Ranks"/>): every task of the
    /// column, the moved one at its new place, gets a new evenly spaced rank below the column's first, through ordinary
    /// <c>task_moved</c> events, written top down so the column is in order after each of them. Returns the moved task's rank.
    /// </summary>
    private async Task<string> RebalanceAsync(TaskState moved, string column, TaskState? previous, EventMetadata metadata, CancellationToken ct)
    {
        var tasks = await ColumnAsync(moved.ProjectKey, column, ct);
        var first = tasks.Count == 0 ? moved.Rank : tasks[0].Rank;
        if (moved.Status == column && string.CompareOrdinal(moved.Rank, first) < 0) first = moved.Rank;
        tasks.RemoveAll(t => t.Id == moved.Id);
        var place = previous is null ? 0 : tasks.FindIndex(t => t.Id == previous.Id) + 1;
        var ranks = Ranks.Spread(first, tasks.Count + 1);
        for (var i = 0; i < tasks.Count; i++)
        {
            var (id, rank) = (tasks[i].Id, ranks[i < place ? i : i + 1]);
            // A task that left the column meanwhile keeps its rank; the moved task's own event is its command's.
            await pipeline.TransactAsync(StreamIds.Task(id), StreamFolds.Task, stream => Decided(
                stream is null || stream.Task.Status != column || stream.Task.Archived ? [] : TaskDecider.Move(stream.Task, id, null, rank)), metadata, ct);
        }
        return ranks[place];
    }

    /// <summary>The column's tasks in board order, from the view.</summary>
    private async Task<List<TaskState>> ColumnAsync(string projectKey, string column, CancellationToken ct)
    {
        var tasks = new List<TaskState>();
        var query = new TaskListQuery(projectKey, [column], 0, 500) { Sort = TaskSort.Rank };
        while (true)
        {
            var page = (await view.ListTasksAsync(query, ct)).Select(d => KanbatteJson.Deserialize<TaskState>(d.Json)).ToList();
            tasks.AddRange(page);
            if (page.Count < query.Limit) return tasks;
            query = query with { AfterValue = page[^1].Rank, AfterNumber = page[^1].Number };
        }
    }

    private async Task<TaskState> NeighbourAsync(TaskState task, string neighbourId, string field, string column, CancellationToken ct)
    {
        if (neighbourId == task.Id) throw new ValidationException(field, "must name another task.");
        var doc = TaskId.TryParse(neighbourId, out var key, out _) && key == task.ProjectKey
            ? await view.GetAsync(ViewKeys.Task(key, neighbourId).Partition, ViewKeys.Task(key, neighbourId).Id, ct)
            : null;
        var neighbour = doc is null ? null : KanbatteJson.Deserialize<TaskState>(doc.Json);
        if (neighbour is null || neighbour.Archived) throw new ValidationException(field, $"'{neighbourId}' is not a task of project {task.ProjectKey}.");
        if (neighbour.Status != column) throw new ValidationException(field, $"'{neighbourId}' is not in the {column} column.");
        return neighbour;
    }

    /// <summary>The task next to <paramref name="from"/> in the column (from its end when null), the moved task itself excluded.</summary>
    private async Task<TaskState?> AdjacentAsync(TaskState moved, string column, TaskState? from, bool descending, CancellationToken ct)
    {
        var query = new TaskListQuery(moved.ProjectKey, [column], from?.Number ?? 0, 2)
        {
            Sort = TaskSort.Rank,
            Descending = descending,
            AfterValue = from?.Rank,
        };
        return (await view.ListTasksAsync(query, ct)).Select(d => KanbatteJson.Deserialize<TaskState>(d.Json)).FirstOrDefault(t => t.Id != moved.Id);
    }

    /// <summary>Board order: by rank, then by number.</summary>
    private static int ColumnOrder(TaskState a, TaskState b)
    {
        var byRank = string.CompareOrdinal(a.Rank, b.Rank);
        return byRank != 0 ? byRank : a.Number.CompareTo(b.Number);
    }

    private static void CheckVersion(string entity, string id, int current, int? ifMatch)
    {
        if (ifMatch is not null && current != ifMatch) throw new PreconditionFailedException(entity, id, current);
    }
}
