using System.Globalization;
using System.Text.Json;
using Kanbatte.Domain;

namespace Kanbatte.Application;

/// <summary>Plain reads come from the view; history comes from the log, so it never lags.</summary>
public sealed class KanbatteQueries(IViewStore view, IEventStore events, ISnapshotStore? snapshots = null)
{
    public async Task<ViewDocument> GetProjectAsync(string key, CancellationToken ct = default)
    {
        if (!ProjectKey.IsValid(key)) throw new NotFoundException("Project", key);
        var (partition, id) = ViewKeys.Project(key);
        return await view.GetAsync(partition, id, ct) ?? throw new NotFoundException("Project", key);
    }

    public async Task<Page<ViewDocument>> ListProjectsAsync(string? afterKey, int limit, CancellationToken ct = default)
    {
        var docs = await view.ListProjectsAsync(afterKey, limit + 1, ct);
        return ToPage(docs, limit, d => d.Id[(d.Id.IndexOf(':') + 1)..]);
    }

    /// <summary>The projects <paramref name="userId"/> is a member of, by key: one query of their own partition a page.</summary>
    public Task<Page<ViewDocument>> ListProjectsAsync(string userId, string? afterKey, int limit, CancellationToken ct = default) =>
        ListByIdAsync(ViewKeys.Membership(userId, "").Partition, ViewKeys.MembershipKind, afterKey is null ? null : "project:" + afterKey, limit,
            d => d.Id["project:".Length..], ct);

    /// <summary>The projects without an owner, <c>{key, name}</c> by key.</summary>
    public Task<Page<ViewDocument>> ListProjectsWithoutOwnerAsync(string? afterKey, int limit, CancellationToken ct = default) =>
        ListByIdAsync(ViewKeys.UnownedPartition, ViewKeys.UnownedKind, afterKey is null ? null : "project:" + afterKey, limit,
            d => d.Id["project:".Length..], ct);

    /// <summary>A project's members, in the order of their keys (stable, not alphabetical: keys are hashes of the ids).</summary>
    public Task<Page<ViewDocument>> ListMembersAsync(string projectKey, string? afterId, int limit, CancellationToken ct = default) =>
        ListByIdAsync(projectKey, ViewKeys.MemberKind, afterId, limit, d => d.Id, ct);

    private async Task<Page<ViewDocument>> ListByIdAsync(string partition, string kind, string? afterId, int limit, Func<ViewDocument, string> cursorOf, CancellationToken ct)
    {
        var docs = await view.ListByIdAsync(partition, [kind], afterId, limit + 1, ct);
        return ToPage(docs, limit, cursorOf);
    }

    public async Task<ViewDocument> GetTaskAsync(string taskId, CancellationToken ct = default)
    {
        if (!TaskId.TryParse(taskId, out var projectKey, out _)) throw new NotFoundException("Task", taskId);
        var (partition, id) = ViewKeys.Task(projectKey, taskId);
        return await view.GetAsync(partition, id, ct) ?? throw new NotFoundException("Task", taskId);
    }

    /// <summary>A page of tasks; <paramref name="query"/>'s limit is the page size.</summary>
    public async Task<Page<ViewDocument>> ListTasksAsync(TaskListQuery query, CancellationToken ct = default)
    {
        if (!ProjectKey.IsValid(query.ProjectKey)) throw new NotFoundException("Project", query.ProjectKey);
        var docs = await view.ListTasksAsync(query with { Limit = query.Limit + 1 }, ct);
        // Only an empty page needs to tell an unknown project from an empty one.
        if (docs.Count == 0) await GetProjectAsync(query.ProjectKey, ct);
        return ToPage(docs, query.Limit, d => TaskCursor(KanbatteJson.Deserialize<TaskState>(d.Json), query.Sort));
    }

    /// <summary>The keyset position of a task in a list sorted by <paramref name="sort"/>: "number" or "sortKey\nnumber".</summary>
    public static string TaskCursor(TaskState task, TaskSort sort) =>
        TaskListQuery.SortKeyOf(task, sort) is { } key
            ? key + "\n" + task.Number.ToString(CultureInfo.InvariantCulture)
            : task.Number.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads a cursor made by <see cref="TaskCursor"/> back into a query; false when it is not one.</summary>
    public static bool TryApplyCursor(string cursor, ref TaskListQuery query)
    {
        var parts = cursor.Split('\n');
        if ((parts.Length == 2) != (query.Sort != TaskSort.Number)) return false;
        if (!int.TryParse(parts[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var number)) return false;
        query = query with { AfterNumber = number, AfterValue = parts.Length == 2 ? parts[0] : null };
        return true;
    }

    /// <summary>One column per status in workflow order: its count and its first tasks in rank order.</summary>
    public async Task<IReadOnlyList<(string Status, int Count, IReadOnlyList<ViewDocument> Tasks)>> BoardAsync(string projectKey, int limitPerColumn, CancellationToken ct = default)
    {
        await GetProjectAsync(projectKey, ct);
        var counts = await view.CountTasksByStatusAsync(projectKey, ct);
        var columns = new List<(string, int, IReadOnlyList<ViewDocument>)>();
        foreach (var status in Statuses.All)
        {
            var count = counts.GetValueOrDefault(status);
            var tasks = count == 0 ? [] : await view.ListTasksAsync(new TaskListQuery(projectKey, [status], 0, limitPerColumn) { Sort = TaskSort.Rank }, ct);
            columns.Add((status, count, tasks));
        }
        return columns;
    }

    public async Task<Page<ViewDocument>> ListCommentsAsync(string taskId, int afterNumber, int limit, CancellationToken ct = default)
    {
        if (!TaskId.TryParse(taskId, out var projectKey, out _)) throw new NotFoundException("Task", taskId);
        var docs = await view.ListCommentsAsync(projectKey, taskId, afterNumber, limit + 1, ct);
        if (docs.Count == 0) await GetTaskAsync(taskId, ct);
        return ToPage(docs, limit, d => NumberOf(d.Json));
    }

    /// <summary>A task's followups (<paramref name="taskId"/>) or a whole project's, oldest first, with the given statuses.</summary>
    public async Task<Page<ViewDocument>> ListFollowupsAsync(string projectKey, string? taskId, IReadOnlyList<string> statuses, int afterNumber, int limit, CancellationToken ct = default)
    {
        var docs = await view.ListFollowupsAsync(projectKey, taskId, statuses, afterNumber, limit + 1, ct);
        if (docs.Count == 0 && taskId is not null) await GetTaskAsync(taskId, ct);
        return ToPage(docs, limit, d => NumberOf(d.Json));
    }

    public async Task<Page<EventEnvelope>> HistoryAsync(string taskId, int afterVersion, int limit, CancellationToken ct = default)
    {
        if (!TaskId.TryParse(taskId, out _, out _)) throw new NotFoundException("Task", taskId);
        var stream = StreamIds.Task(taskId);
        var found = await events.ReadStreamAsync(stream, afterVersion + 1, limit + 1, ct);
        if (found.Count == 0 && (afterVersion == 0 || (await events.ReadStreamAsync(stream, 1, 1, ct)).Count == 0))
            throw new NotFoundException("Task", taskId);
        return ToPage(found, limit, e => e.Version.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>A project's events, newest first, from the log.</summary>
    public async Task<Page<EventEnvelope>> ActivityAsync(string projectKey, string? after, int limit, CancellationToken ct = default)
    {
        await GetProjectAsync(projectKey, ct);
        var page = await events.ReadProjectAsync(projectKey, newestFirst: true, after, until: null, limit, ct);
        return new Page<EventEnvelope>(page.Events, page.Next);
    }

    /// <summary>The task exactly as it was at a time or a version, folded from the log; 404 if it did not exist yet.</summary>
    public async Task<TaskState> TaskAsOfAsync(string taskId, DateTimeOffset? asOf, int? version, CancellationToken ct = default)
    {
        if (!TaskId.TryParse(taskId, out _, out _)) throw new NotFoundException("Task", taskId);
        var history = await events.ReadStreamAsync(StreamIds.Task(taskId), 1, version ?? int.MaxValue, ct);
        var state = EventCodec.FoldTask(history.Where(e => asOf is null || e.RecordedAt <= asOf));
        if (state is null || (version is not null && state.Version < version))
            throw new NotFoundException("Task", $"{taskId}{(version is null ? "" : $" at version {version}")}{(asOf is null ? "" : $" as of {KanbatteJson.Format(asOf.Value)}")}");
        return state;
    }

    /// <summary>
    /// The board as it was at <paramref name="asOf"/>: the latest snapshot at or before then (where the store keeps them),
    /// plus the project's events after it up to then. Its cost is the events folded since that snapshot, not the history.
    /// </summary>
    public async Task<IReadOnlyList<(string Status, int Count, IReadOnlyList<TaskState> Tasks)>> BoardAsOfAsync(string projectKey, DateTimeOffset asOf, int limitPerColumn, CancellationToken ct = default)
    {
        if (!ProjectKey.IsValid(projectKey)) throw new NotFoundException("Project", projectKey);
        var created = await events.ReadStreamAsync(StreamIds.Project(projectKey), 1, 1, ct);
        if (created.Count == 0 || created[0].RecordedAt > asOf)
            throw new NotFoundException("Project", $"{projectKey} as of {KanbatteJson.Format(asOf)}");

        var tasks = new Dictionary<string, TaskState>(StringComparer.Ordinal);
        var snapshot = snapshots is null ? null : await snapshots.LatestAsync(projectKey, asOf, ct);
        foreach (var json in snapshot?.TasksJson ?? [])
        {
            var task = KanbatteJson.Deserialize<TaskState>(json);
            tasks[StreamIds.Task(task.Id)] = task;
        }
        var after = snapshot?.Position;
        do
        {
            var page = await events.ReadProjectAsync(projectKey, newestFirst: false, after, asOf, 1000, ct);
            foreach (var e in page.Events.Where(e => e.StreamId.StartsWith(StreamIds.TaskPrefix, StringComparison.Ordinal)))
            {
                var task = TaskDecider.Evolve(tasks.GetValueOrDefault(e.StreamId), EventCodec.Decode(e), e.Version, e.RecordedAt);
                if (task is not null) tasks[e.StreamId] = task;
            }
            after = page.Next;
        } while (after is not null);

        return Statuses.All.Select(status =>
        {
            var column = tasks.Values.Where(t => t.Status == status && !t.Archived).ToList();
            IReadOnlyList<TaskState> top = column.OrderBy(t => t.Rank, StringComparer.Ordinal).ThenBy(t => t.Number).Take(limitPerColumn).ToList();
            return (status, column.Count, top);
        }).ToList();
    }

    private static Page<T> ToPage<T>(IReadOnlyList<T> found, int limit, Func<T, string> keyOf) =>
        found.Count > limit ? new Page<T>(found.Take(limit).ToList(), keyOf(found[limit - 1])) : new Page<T>(found, null);

    private static string NumberOf(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("number").GetInt32().ToString(CultureInfo.InvariantCulture);
    }
}
