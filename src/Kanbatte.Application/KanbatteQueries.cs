using System.Globalization;
using System.Text.Json;
using Kanbatte.Domain;

namespace Kanbatte.Application;

/// <summary>One page of a list; <see cref="Next"/> is the keyset position after the last item, or null on the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? Next);

/// <summary>Plain reads come from the view; history comes from the log, so it never lags.</summary>
public sealed class KanbatteQueries(IViewStore view, IEventStore events)
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

    public async Task<ViewDocument> GetTaskAsync(string taskId, CancellationToken ct = default)
    {
        if (!TaskId.TryParse(taskId, out var projectKey, out _)) throw new NotFoundException("Task", taskId);
        var (partition, id) = ViewKeys.Task(projectKey, taskId);
        return await view.GetAsync(partition, id, ct) ?? throw new NotFoundException("Task", taskId);
    }

    public async Task<Page<ViewDocument>> ListTasksAsync(string projectKey, IReadOnlyList<string> statuses, int afterNumber, int limit, CancellationToken ct = default)
    {
        if (!ProjectKey.IsValid(projectKey)) throw new NotFoundException("Project", projectKey);
        var docs = await view.ListTasksAsync(new TaskListQuery(projectKey, statuses, afterNumber, limit + 1), ct);
        // Only an empty page needs to tell an unknown project from an empty one.
        if (docs.Count == 0) await GetProjectAsync(projectKey, ct);
        return ToPage(docs, limit, d => NumberOf(d.Json));
    }

    public async Task<Page<ViewDocument>> ListCommentsAsync(string taskId, int afterNumber, int limit, CancellationToken ct = default)
    {
        if (!TaskId.TryParse(taskId, out var projectKey, out _)) throw new NotFoundException("Task", taskId);
        var docs = await view.ListCommentsAsync(projectKey, taskId, afterNumber, limit + 1, ct);
        if (docs.Count == 0) await GetTaskAsync(taskId, ct);
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

    private static Page<T> ToPage<T>(IReadOnlyList<T> found, int limit, Func<T, string> keyOf) =>
        found.Count > limit ? new Page<T>(found.Take(limit).ToList(), keyOf(found[limit - 1])) : new Page<T>(found, null);

    private static string NumberOf(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("number").GetInt32().ToString(CultureInfo.InvariantCulture);
    }
}
