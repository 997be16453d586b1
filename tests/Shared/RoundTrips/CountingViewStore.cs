using Kanbatte.Application;

namespace Kanbatte.Testing.RoundTrips;

public sealed class CountingViewStore(IViewStore inner, RoundTripCounter counter) : IViewStore
{
    public Task<ViewDocument?> GetAsync(string partition, string id, CancellationToken ct = default)
    {
        counter.Hit("view.get");
        return inner.GetAsync(partition, id, ct);
    }

    public Task WriteAsync(IReadOnlyList<ViewChange> changes, CancellationToken ct = default)
    {
        counter.Hit("view.write");
        return inner.WriteAsync(changes, ct);
    }

    public Task<IReadOnlyList<ViewDocument>> ListProjectsAsync(string? afterKey, int limit, CancellationToken ct = default)
    {
        counter.Hit("view.query");
        return inner.ListProjectsAsync(afterKey, limit, ct);
    }

    public Task<IReadOnlyList<ViewDocument>> ListTasksAsync(TaskListQuery query, CancellationToken ct = default)
    {
        counter.Hit("view.query");
        return inner.ListTasksAsync(query, ct);
    }

    public Task<IReadOnlyDictionary<string, int>> CountTasksByStatusAsync(string projectKey, CancellationToken ct = default)
    {
        counter.Hit("view.query");
        return inner.CountTasksByStatusAsync(projectKey, ct);
    }

    public Task<IReadOnlyList<ViewDocument>> ListFollowupsAsync(string projectKey, string? taskId, IReadOnlyList<string> statuses, int afterNumber, int limit, CancellationToken ct = default)
    {
        counter.Hit("view.query");
        return inner.ListFollowupsAsync(projectKey, taskId, statuses, afterNumber, limit, ct);
    }

    public Task<IReadOnlyList<ViewDocument>> ListCommentsAsync(string projectKey, string taskId, int afterNumber, int limit, CancellationToken ct = default)
    {
        counter.Hit("view.query");
        return inner.ListCommentsAsync(projectKey, taskId, afterNumber, limit, ct);
    }

    public Task<IReadOnlyList<ViewDocument>> ListByIdAsync(string partition, IReadOnlyList<string> kinds, string? afterId, int limit, CancellationToken ct = default)
    {
        counter.Hit("view.query");
        return inner.ListByIdAsync(partition, kinds, afterId, limit, ct);
    }

    public Task FenceProjectAsync(string projectKey, CancellationToken ct = default)
    {
        counter.Hit("view.fence");
        return inner.FenceProjectAsync(projectKey, ct);
    }
}
