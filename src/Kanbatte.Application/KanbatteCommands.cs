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
    /// with neither the task goes below the column's last. Only the moved task's rank changes, unless there is no room
    /// left between its neighbours: then the column is rebalanced first (<see cref="RebalanceAsync"/>).
    /// </summary>
    public async Task<TaskState> MoveTaskAsync(string taskId, string? status, string? before, string? after, int? ifMatch, EventMetadata metadata, CancellationToken ct = default)
    {
        TaskDecider.ValidateMove(status);
        var written = await TransactTaskAsync(taskId, ifMatch, async stream =>
        {
            if (stream is null) throw new NotFoundException("Task", taskId);
            var rank = await RankForMoveAsync(stream.Task, status, before, after, metadata, ct);
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

    private static void CheckVersion(string entity, string id, int? current, int? ifMatch)
    {
        if (ifMatch is null || current is null) return; // a missing entity is reported by its decider as 404
        if (current != ifMatch) throw new PreconditionFailedException(entity, id, current.Value);
    }
}
