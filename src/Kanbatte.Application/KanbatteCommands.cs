using Kanbatte.Domain;

namespace Kanbatte.Application;

/// <summary>
/// Every change goes through here: read the stream, decide against its folded state, append with the version read.
/// A conflicting append is decided again against the new state, so no writer's change is lost.
/// The returned state is folded from the events just written, not read back from the (possibly lagging) view.
/// </summary>
public sealed class KanbatteCommands(IEventStore events, ICounterStore counters, IViewConsistency consistency, TimeProvider clock)
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
            await AppendAsync(stream, 0, envelope, ct);
        }
        catch (ConcurrencyException)
        {
            throw new ConflictException($"Project '{cmd.Key}' already exists.");
        }
        return EventCodec.FoldProject([envelope])!;
    }

    public async Task<TaskState> CreateTaskAsync(string projectKey, CreateTask cmd, EventMetadata metadata, CancellationToken ct = default)
    {
        TaskDecider.Validate(cmd);
        var project = ProjectKey.IsValid(projectKey)
            ? EventCodec.FoldProject(await events.ReadStreamAsync(StreamIds.Project(projectKey), 1, ct: ct))
            : null;
        if (project is null) throw new NotFoundException("Project", projectKey);

        for (var attempt = 1; ; attempt++)
        {
            var number = await counters.NextAsync(projectKey, TaskCounter, ct);
            var created = TaskDecider.Create(project, projectKey, number, cmd);
            var stream = StreamIds.Task(((TaskCreated)created).Id);
            var envelope = EventCodec.Encode(stream, 1, created, clock.GetUtcNow(), metadata);
            try
            {
                await AppendAsync(stream, 0, envelope, ct);
                return EventCodec.FoldTask([envelope])!;
            }
            catch (ConcurrencyException) when (attempt < MaxAttempts)
            {
                // The number is taken (a counter behind the log): take the next one; gaps are allowed, duplicates never.
            }
        }
    }

    /// <summary>Applies a partial change. A change that changes nothing appends nothing.</summary>
    public async Task<TaskState> ChangeTaskAsync(string taskId, ChangeTask cmd, EventMetadata metadata, CancellationToken ct = default)
    {
        TaskDecider.Validate(cmd);
        var (state, _) = await DecideTaskAsync(taskId, task => Task.FromResult(TaskDecider.Change(task, taskId, cmd)), metadata, ct);
        return state;
    }

    public async Task<CommentState> AddCommentAsync(string taskId, AddComment cmd, EventMetadata metadata, CancellationToken ct = default)
    {
        TaskDecider.Validate(cmd);
        int? number = null; // taken once, kept across retries
        var (_, written) = await DecideTaskAsync(taskId, async task =>
        {
            if (task is null) throw new NotFoundException("Task", taskId);
            number ??= await counters.NextAsync(task.ProjectKey, CommentCounter, ct);
            return [TaskDecider.Comment(task, taskId, number.Value, cmd)];
        }, metadata, ct);
        var envelope = written[0];
        return TaskDecider.EvolveComment(null, taskId, EventCodec.Decode(envelope), envelope.RecordedAt)!;
    }

    private async Task<(TaskState State, IReadOnlyList<EventEnvelope> Written)> DecideTaskAsync(
        string taskId, Func<TaskState?, Task<IReadOnlyList<IDomainEvent>>> decide, EventMetadata metadata, CancellationToken ct)
    {
        if (!TaskId.TryParse(taskId, out _, out _)) throw new NotFoundException("Task", taskId);
        var stream = StreamIds.Task(taskId);
        for (var attempt = 1; ; attempt++)
        {
            var state = EventCodec.FoldTask(await events.ReadStreamAsync(stream, 1, ct: ct));
            var decided = await decide(state);
            if (decided.Count == 0) return (state!, []);

            var version = state!.Version;
            var now = clock.GetUtcNow();
            var envelopes = decided.Select((e, i) => EventCodec.Encode(stream, version + 1 + i, e, now, metadata)).ToList();
            try
            {
                await AppendAsync(stream, version, envelopes, ct);
                return (EventCodec.FoldTask(envelopes, state)!, envelopes);
            }
            catch (ConcurrencyException) when (attempt < MaxAttempts)
            {
                // Another writer got there first: decide again against what it wrote.
            }
        }
    }

    private Task AppendAsync(string stream, int expectedVersion, EventEnvelope envelope, CancellationToken ct) =>
        AppendAsync(stream, expectedVersion, [envelope], ct);

    private async Task AppendAsync(string stream, int expectedVersion, IReadOnlyList<EventEnvelope> envelopes, CancellationToken ct)
    {
        var position = await events.AppendAsync(stream, expectedVersion, envelopes, ct);
        // The write is durable from here on; waiting for the view must not turn it into an error.
        await consistency.AppendedAsync(position, CancellationToken.None);
    }
}
