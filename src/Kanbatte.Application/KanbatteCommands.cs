using Kanbatte.Domain;

namespace Kanbatte.Application;

/// <summary>
/// Every change goes through here: read the stream, decide against its folded state, append with the version read.
/// A conflicting append is decided again against the new state, so no writer's change is lost; with an expected
/// version (If-Match) a moved stream is reported instead. The returned state is folded from the events just written,
/// not read back from the (possibly lagging) view.
/// </summary>
public sealed class KanbatteCommands(IEventStore events, ICounterStore counters, IViewStore view, IViewConsistency consistency, TimeProvider clock, StreamStateCache? cache = null)
{
    public const string TaskCounter = "task";
    public const string CommentCounter = "comment";
    private const int MaxAttempts = 50;

    public async Task<ProjectState> CreateProjectAsync(CreateProject cmd, EventMetadata metadata, CancellationToken ct = default)
    {
        // A new stream needs no read: an append at version 0 fails exactly when the key is taken.
        var created = ProjectDecider.Create(null, cmd);
        var stream = StreamIds.Project(cmd.Key!);
        var envelope = EventCodec.Encode(stream, 1, created, clock.GetUtcNow(), metadata);
        try
        {
            await AppendAsync(stream, 0, [envelope], ct);
        }
        catch (ConcurrencyException)
        {
            throw new ConflictException($"Project '{cmd.Key}' already exists.");
        }
        return EventCodec.FoldProject([envelope])!;
    }

    public async Task<ProjectState> ChangeProjectAsync(string key, ChangeProject cmd, int? ifMatch, EventMetadata metadata, CancellationToken ct = default)
    {
        ProjectDecider.Validate(cmd);
        if (!ProjectKey.IsValid(key)) throw new NotFoundException("Project", key);
        var stream = StreamIds.Project(key);
        for (var attempt = 1; ; attempt++)
        {
            var state = await ReadProjectAsync(stream, ct);
            CheckVersion("Project", key, state?.Version, ifMatch);
            var decided = ProjectDecider.Change(state, key, cmd);
            if (decided.Count == 0) return state!;
            var envelopes = Encode(stream, state!.Version, decided, metadata);
            try
            {
                await AppendAsync(stream, state.Version, envelopes, ct);
                var changed = EventCodec.FoldProject(envelopes, state)!;
                cache?.Set(stream, changed);
                return changed;
            }
            catch (ConcurrencyException) when (attempt < MaxAttempts) { }
        }
    }

    public async Task<TaskState> CreateTaskAsync(string projectKey, CreateTask cmd, EventMetadata metadata, CancellationToken ct = default)
    {
        TaskDecider.Validate(cmd);
        var project = ProjectKey.IsValid(projectKey) ? await ReadProjectAsync(StreamIds.Project(projectKey), ct, trustCache: true) : null;
        if (project is null) throw new NotFoundException("Project", projectKey);

        for (var attempt = 1; ; attempt++)
        {
            var number = await counters.NextAsync(projectKey, TaskCounter, ct);
            var now = clock.GetUtcNow();
            var created = TaskDecider.Create(project, projectKey, number, cmd, Ranks.Bottom(now));
            var stream = StreamIds.Task(((TaskCreated)created).Id);
            var envelope = EventCodec.Encode(stream, 1, created, now, metadata);
            try
            {
                await AppendAsync(stream, 0, [envelope], ct);
                var task = EventCodec.FoldTask([envelope])!;
                cache?.Set(stream, task);
                return task;
            }
            catch (ConcurrencyException) when (attempt < MaxAttempts)
            {
                // The number is taken (a counter behind the log): take the next one; gaps are allowed, duplicates never.
            }
        }
    }

    /// <summary>Applies a partial change. A change that changes nothing appends nothing.</summary>
    public async Task<TaskState> ChangeTaskAsync(string taskId, ChangeTask cmd, int? ifMatch, EventMetadata metadata, CancellationToken ct = default)
    {
        TaskDecider.Validate(cmd);
        var (state, _) = await DecideTaskAsync(taskId, ifMatch,
            (task, _) => Task.FromResult(TaskDecider.Change(task, taskId, cmd)), metadata, ct);
        return state;
    }

    /// <summary>
    /// Places a task in a column between neighbours: <paramref name="after"/> is the task it follows,
    /// <paramref name="before"/> the one it precedes; with one of them the other is its current neighbour in the column,
    /// with neither the task goes to the bottom of the column. Only the moved task's rank changes.
    /// </summary>
    public async Task<TaskState> MoveTaskAsync(string taskId, string? status, string? before, string? after, int? ifMatch, EventMetadata metadata, CancellationToken ct = default)
    {
        TaskDecider.ValidateMove(status);
        var (state, _) = await DecideTaskAsync(taskId, ifMatch, async (task, _) =>
        {
            if (task is null) throw new NotFoundException("Task", taskId);
            var rank = await RankBetweenAsync(task, status, before, after, ct);
            return TaskDecider.Move(task, taskId, status, rank);
        }, metadata, ct);
        return state;
    }

    public async Task<TaskState> ArchiveTaskAsync(string taskId, bool archive, int? ifMatch, EventMetadata metadata, CancellationToken ct = default)
    {
        var (state, _) = await DecideTaskAsync(taskId, ifMatch,
            (task, _) => Task.FromResult(archive ? TaskDecider.Archive(task, taskId) : TaskDecider.Restore(task, taskId)), metadata, ct);
        return state;
    }

    public async Task<CommentState> AddCommentAsync(string taskId, AddComment cmd, EventMetadata metadata, CancellationToken ct = default)
    {
        TaskDecider.Validate(cmd);
        int? number = null; // taken once, kept across retries
        var (_, written) = await DecideTaskAsync(taskId, null, async (task, _) =>
        {
            if (task is null) throw new NotFoundException("Task", taskId);
            number ??= await counters.NextAsync(task.ProjectKey, CommentCounter, ct);
            return [TaskDecider.Comment(task, taskId, number.Value, cmd)];
        }, metadata, ct);
        var envelope = written[0];
        return TaskDecider.EvolveComment(null, taskId, EventCodec.Decode(envelope), envelope.RecordedAt)!;
    }

    public async Task<CommentState> EditCommentAsync(string taskId, string commentId, string? body, EventMetadata metadata, CancellationToken ct = default)
    {
        TaskDecider.ValidateCommentBody(body);
        CommentState? comment = null;
        var (_, written) = await DecideTaskAsync(taskId, null, (task, history) =>
        {
            comment = CommentOf(history, taskId, commentId);
            return Task.FromResult(TaskDecider.EditComment(task, taskId, comment, commentId, body));
        }, metadata, ct, needsHistory: true);
        return written.Count == 0 ? comment! : TaskDecider.EvolveComment(comment, taskId, EventCodec.Decode(written[0]), written[0].RecordedAt)!;
    }

    public async Task DeleteCommentAsync(string taskId, string commentId, EventMetadata metadata, CancellationToken ct = default) =>
        await DecideTaskAsync(taskId, null, (task, history) =>
            Task.FromResult(TaskDecider.DeleteComment(task, taskId, CommentOf(history, taskId, commentId), commentId)), metadata, ct, needsHistory: true);

    /// <summary>A comment as the task's stream leaves it (null when it never existed there or was deleted).</summary>
    private static CommentState? CommentOf(IReadOnlyList<EventEnvelope> history, string taskId, string commentId)
    {
        if (!CommentId.IsValid(commentId)) return null;
        CommentState? comment = null;
        foreach (var e in history)
        {
            var decoded = EventCodec.Decode(e);
            if (decoded is CommentAdded a && a.CommentId != commentId) continue;
            comment = TaskDecider.EvolveComment(comment, taskId, decoded, e.RecordedAt);
        }
        return comment;
    }

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

    private async Task<(TaskState State, IReadOnlyList<EventEnvelope> Written)> DecideTaskAsync(
        string taskId, int? ifMatch, Func<TaskState?, IReadOnlyList<EventEnvelope>, Task<IReadOnlyList<IDomainEvent>>> decide, EventMetadata metadata, CancellationToken ct,
        bool needsHistory = false)
    {
        if (!TaskId.TryParse(taskId, out _, out _)) throw new NotFoundException("Task", taskId);
        var stream = StreamIds.Task(taskId);
        var trustCache = !needsHistory && cache is { Trusted: true };
        for (var attempt = 1; ; attempt++)
        {
            // One stream read per attempt: the events after the cached state, or all of them when the decision needs them
            // (a comment's edits and deletion are found in the task's history). A trusted cache skips it the first time.
            var cached = needsHistory ? null : cache?.Get<TaskState>(stream);
            var fromCache = trustCache && attempt == 1 && cached is not null;
            var history = fromCache ? [] : await events.ReadStreamAsync(stream, (cached?.Version ?? 0) + 1, ct: ct);
            var state = fromCache ? cached : EventCodec.FoldTask(history, cached);
            if (!fromCache) cache?.Set(stream, state);

            IReadOnlyList<IDomainEvent> decided;
            try
            {
                CheckVersion("Task", taskId, state?.Version, ifMatch);
                decided = await decide(state, history);
            }
            catch (Exception) when (fromCache)
            {
                continue; // a refusal is only given on what the log says now
            }
            if (decided.Count == 0)
            {
                if (fromCache) continue; // nor is "nothing to change"
                return (state!, []);
            }

            var envelopes = Encode(stream, state!.Version, decided, metadata);
            try
            {
                await AppendAsync(stream, state.Version, envelopes, ct);
                var changed = EventCodec.FoldTask(envelopes, state)!;
                cache?.Set(stream, changed);
                return (changed, envelopes);
            }
            catch (ConcurrencyException) when (attempt < MaxAttempts)
            {
                // Another writer got there first: decide again against what it wrote (or, with If-Match, report it).
            }
        }
    }

    /// <summary>
    /// A project folded from its stream: the events after the cached state, folded on. With <paramref name="trustCache"/>
    /// a trusted cached state is taken as it is (creating a task needs only that the project exists, and projects are never removed).
    /// </summary>
    private async Task<ProjectState?> ReadProjectAsync(string stream, CancellationToken ct, bool trustCache = false)
    {
        var cached = cache?.Get<ProjectState>(stream);
        if (trustCache && cached is not null && cache!.Trusted) return cached;
        var state = EventCodec.FoldProject(await events.ReadStreamAsync(stream, (cached?.Version ?? 0) + 1, ct: ct), cached);
        cache?.Set(stream, state);
        return state;
    }

    private static void CheckVersion(string entity, string id, int? current, int? ifMatch)
    {
        if (ifMatch is null || current is null) return; // a missing entity is reported by its decider as 404
        if (current != ifMatch) throw new PreconditionFailedException(entity, id, current.Value);
    }

    private List<EventEnvelope> Encode(string stream, int version, IReadOnlyList<IDomainEvent> decided, EventMetadata metadata)
    {
        var now = clock.GetUtcNow();
        return decided.Select((e, i) => EventCodec.Encode(stream, version + 1 + i, e, now, metadata)).ToList();
    }

    private async Task AppendAsync(string stream, int expectedVersion, IReadOnlyList<EventEnvelope> envelopes, CancellationToken ct)
    {
        var position = await events.AppendAsync(stream, expectedVersion, envelopes, ct);
        // The write is durable from here on; waiting for the view must not turn it into an error.
        await consistency.AppendedAsync(position, CancellationToken.None);
    }
}
