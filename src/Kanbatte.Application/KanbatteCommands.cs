using Kanbatte.Domain;

namespace Kanbatte.Application;

/// <summary>
/// The commands of the task board. Each one validates its input, then runs through <see cref="WritePipeline"/>: the
/// stream's state is loaded, the domain's decider decides, and what it decided is appended.
/// </summary>
public sealed class KanbatteCommands(WritePipeline pipeline, ICounterStore counters, IViewStore view, TimeProvider clock)
{
    public const string TaskCounter = "task";
    public const string CommentCounter = "comment";

    public async Task<ProjectState> CreateProjectAsync(CreateProject cmd, EventMetadata metadata, CancellationToken ct = default)
    {
        ProjectDecider.Validate(cmd);
        // A new stream needs no read: the append at version 0 conflicts exactly when the key is taken, and the decider,
        // deciding again on what was read then, refuses it.
        var written = await pipeline.TransactAsync(StreamIds.Project(cmd.Key!), StreamFolds.Project,
            state => Decided(ProjectDecider.Create(state, cmd)), metadata, ct, LoadOption.AssumeEmpty);
        return written.State!;
    }

    public async Task<ProjectState> ChangeProjectAsync(string key, ChangeProject cmd, int? ifMatch, EventMetadata metadata, CancellationToken ct = default)
    {
        ProjectDecider.Validate(cmd);
        if (!ProjectKey.IsValid(key)) throw new NotFoundException("Project", key);
        var written = await pipeline.TransactAsync(StreamIds.Project(key), StreamFolds.Project, state =>
        {
            CheckVersion("Project", key, state?.Version, ifMatch);
            return Decided(ProjectDecider.Change(state, key, cmd));
        }, metadata, ct);
        return written.State!;
    }

    public async Task<TaskState> CreateTaskAsync(string projectKey, CreateTask cmd, EventMetadata metadata, CancellationToken ct = default)
    {
        TaskDecider.Validate(cmd);
        // Projects are never removed, so a cached project is as good as a read one to know it exists.
        var project = ProjectKey.IsValid(projectKey) ? await pipeline.LoadAsync(StreamIds.Project(projectKey), StreamFolds.Project, ct) : null;
        if (project is null) throw new NotFoundException("Project", projectKey);
        while (true)
        {
            var number = await counters.NextAsync(projectKey, TaskCounter, ct);
            var written = await pipeline.TransactAsync(StreamIds.Task(TaskId.Format(projectKey, number)), StreamFolds.Task,
                // A number already in the log (a counter behind it) decides nothing: take the next; gaps are allowed, duplicates never.
                stream => Decided(stream is not null ? [] : [TaskDecider.Create(project, projectKey, number, cmd, Ranks.Bottom(clock.GetUtcNow()))]),
                metadata, ct, LoadOption.AssumeEmpty);
            if (written.Appended.Count > 0) return written.State!.Task;
        }
    }

    /// <summary>Applies a partial change. A change that changes nothing appends nothing.</summary>
    public async Task<TaskState> ChangeTaskAsync(string taskId, ChangeTask cmd, int? ifMatch, EventMetadata metadata, CancellationToken ct = default)
    {
        TaskDecider.Validate(cmd);
        var written = await TransactTaskAsync(taskId, ifMatch, stream => Decided(TaskDecider.Change(stream?.Task, taskId, cmd)), metadata, ct);
        return written.State!.Task;
    }

    /// <summary>
    /// Places a task in a column between neighbours: <paramref name="after"/> is the task it follows,
    /// <paramref name="before"/> the one it precedes; with one of them the other is its current neighbour in the column,
    /// with neither the task goes to the bottom of the column. Only the moved task's rank changes.
    /// </summary>
    public async Task<TaskState> MoveTaskAsync(string taskId, string? status, string? before, string? after, int? ifMatch, EventMetadata metadata, CancellationToken ct = default)
    {
        TaskDecider.ValidateMove(status);
        var written = await TransactTaskAsync(taskId, ifMatch, async stream =>
        {
            if (stream is null) throw new NotFoundException("Task", taskId);
            var rank = await RankBetweenAsync(stream.Task, status, before, after, ct);
            return TaskDecider.Move(stream.Task, taskId, status, rank);
        }, metadata, ct);
        return written.State!.Task;
    }

    public async Task<TaskState> ArchiveTaskAsync(string taskId, bool archive, int? ifMatch, EventMetadata metadata, CancellationToken ct = default)
    {
        var written = await TransactTaskAsync(taskId, ifMatch,
            stream => Decided(archive ? TaskDecider.Archive(stream?.Task, taskId) : TaskDecider.Restore(stream?.Task, taskId)), metadata, ct);
        return written.State!.Task;
    }

    public async Task<CommentState> AddCommentAsync(string taskId, AddComment cmd, EventMetadata metadata, CancellationToken ct = default)
    {
        TaskDecider.Validate(cmd);
        int? number = null; // taken once, kept across a conflict's second decision
        var written = await TransactTaskAsync(taskId, null, async stream =>
        {
            if (stream is null) throw new NotFoundException("Task", taskId);
            number ??= await counters.NextAsync(stream.Task.ProjectKey, CommentCounter, ct);
            return [TaskDecider.Comment(stream.Task, taskId, number.Value, cmd)];
        }, metadata, ct);
        return written.State!.Comments[CommentId.Format(number!.Value)];
    }

    public async Task<CommentState> EditCommentAsync(string taskId, string commentId, string? body, EventMetadata metadata, CancellationToken ct = default)
    {
        TaskDecider.ValidateCommentBody(body);
        var written = await TransactTaskAsync(taskId, null, stream => Decided(TaskDecider.EditComment(stream, taskId, commentId, body)), metadata, ct);
        return written.State!.Comments[commentId];
    }

    public Task DeleteCommentAsync(string taskId, string commentId, EventMetadata metadata, CancellationToken ct = default) =>
        TransactTaskAsync(taskId, null, stream => Decided(TaskDecider.DeleteComment(stream, taskId, commentId)), metadata, ct);

    /// <summary>A command on an existing task's stream; with <paramref name="ifMatch"/>, refused unless the stream is at that version.</summary>
    private Task<Transacted<TaskStream>> TransactTaskAsync(
        string taskId, int? ifMatch, Func<TaskStream?, Task<IReadOnlyList<IDomainEvent>>> decide, EventMetadata metadata, CancellationToken ct)
    {
        if (!TaskId.TryParse(taskId, out _, out _)) throw new NotFoundException("Task", taskId);
        return pipeline.TransactAsync(StreamIds.Task(taskId), StreamFolds.Task, stream =>
        {
            CheckVersion("Task", taskId, stream?.Version, ifMatch);
            return decide(stream);
        }, metadata, ct);
    }

    private static Task<IReadOnlyList<IDomainEvent>> Decided(IReadOnlyList<IDomainEvent> events) => Task.FromResult(events);

    private static Task<IReadOnlyList<IDomainEvent>> Decided(IDomainEvent e) => Task.FromResult<IReadOnlyList<IDomainEvent>>([e]);

    private async Task<string> RankBetweenAsync(TaskState task, string? status, string? before, string? after, CancellationToken ct)
    {
        var column = status ?? task.Status;
        var next = before is null ? null : await NeighbourAsync(task, before, "before", column, ct);
        var previous = after is null ? null : await NeighbourAsync(task, after, "after", column, ct);
        if (previous is null && next is null) return Ranks.Bottom(clock.GetUtcNow());
        // With one neighbour named, the other is the task next to it in the column (the moved task itself excluded).
        previous ??= await AdjacentRankAsync(task, column, next!, descending: true, ct);
        next ??= await AdjacentRankAsync(task, column, previous!, descending: false, ct);
        return Ranks.Between(previous, next);
    }

    private async Task<string> NeighbourAsync(TaskState task, string neighbourId, string field, string column, CancellationToken ct)
    {
        if (neighbourId == task.Id) throw new ValidationException(field, "must name another task.");
        var doc = TaskId.TryParse(neighbourId, out var key, out _) && key == task.ProjectKey
            ? await view.GetAsync(ViewKeys.Task(key, neighbourId).Partition, ViewKeys.Task(key, neighbourId).Id, ct)
            : null;
        var neighbour = doc is null ? null : KanbatteJson.Deserialize<TaskState>(doc.Json);
        if (neighbour is null || neighbour.Archived) throw new ValidationException(field, $"'{neighbourId}' is not a task of project {task.ProjectKey}.");
        if (neighbour.Status != column) throw new ValidationException(field, $"'{neighbourId}' is not in the {column} column.");
        return neighbour.Rank;
    }

    private async Task<string?> AdjacentRankAsync(TaskState task, string column, string rank, bool descending, CancellationToken ct)
    {
        // The cursor's number excludes every task at exactly this rank: all numbers lie between 0 and int.MaxValue.
        var query = new TaskListQuery(task.ProjectKey, [column], descending ? 0 : int.MaxValue, 2)
        {
            Sort = TaskSort.Rank,
            Descending = descending,
            AfterValue = rank,
        };
        foreach (var doc in await view.ListTasksAsync(query, ct))
        {
            var other = KanbatteJson.Deserialize<TaskState>(doc.Json);
            if (other.Id != task.Id && other.Rank != rank) return other.Rank;
        }
        return null;
    }

    private static void CheckVersion(string entity, string id, int? current, int? ifMatch)
    {
        if (ifMatch is null || current is null) return; // a missing entity is reported by its decider as 404
        if (current != ifMatch) throw new PreconditionFailedException(entity, id, current.Value);
    }
}
