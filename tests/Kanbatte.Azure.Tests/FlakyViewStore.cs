using Kanbatte.Application;

namespace Kanbatte.Azure.Tests;

/// <summary>TEST ONLY: a view store that fails on demand and counts writes per document, around the real Cosmos one.</summary>
public sealed class FlakyViewStore(IViewStore inner, FlakyViewStore.Switch faults) : IViewStore
{
    public sealed class Switch
    {
        private readonly Lock _lock = new();
        private readonly Dictionary<string, int> _writes = new();
        private int _failNext;
        private Func<Exception>? _nextError;
        private string? _brokenId;
        private Func<Exception>? _brokenError;

        public int Writes { get { lock (_lock) return _writes.Values.Sum(); } }
        public int WritesOf(string id) { lock (_lock) return _writes.GetValueOrDefault(id); }
        public void FailNextWrites(int count, Func<Exception> error) { lock (_lock) (_failNext, _nextError) = (count, error); }
        public void FailWritesOf(string id, Func<Exception> error) { lock (_lock) (_brokenId, _brokenError) = (id, error); }
        public void Fix() { lock (_lock) (_brokenId, _brokenError, _failNext) = (null, null, 0); }

        internal void Before(IReadOnlyList<ViewChange> changes)
        {
            lock (_lock)
            {
                if (_failNext > 0) { _failNext--; throw _nextError!(); }
                if (_brokenId is not null && changes.Any(c => c.Id == _brokenId)) throw _brokenError!();
            }
        }

        internal void After(IReadOnlyList<ViewChange> changes)
        {
            lock (_lock) foreach (var c in changes) _writes[c.Id] = _writes.GetValueOrDefault(c.Id) + 1;
        }
    }

    public Task<ViewDocument?> GetAsync(string partition, string id, CancellationToken ct = default) => inner.GetAsync(partition, id, ct);

    public async Task WriteAsync(IReadOnlyList<ViewChange> changes, CancellationToken ct = default)
    {
        faults.Before(changes);
        await inner.WriteAsync(changes, ct);
        faults.After(changes);
    }

    public Task<IReadOnlyList<ViewDocument>> ListProjectsAsync(string? afterKey, int limit, CancellationToken ct = default) => inner.ListProjectsAsync(afterKey, limit, ct);
    public Task<IReadOnlyList<ViewDocument>> ListTasksAsync(TaskListQuery query, CancellationToken ct = default) => inner.ListTasksAsync(query, ct);
    public Task<IReadOnlyDictionary<string, int>> CountTasksByStatusAsync(string projectKey, CancellationToken ct = default) => inner.CountTasksByStatusAsync(projectKey, ct);
    public Task<IReadOnlyList<ViewDocument>> ListFollowupsAsync(string projectKey, string? taskId, IReadOnlyList<string> statuses, int afterNumber, int limit, CancellationToken ct = default) =>
        inner.ListFollowupsAsync(projectKey, taskId, statuses, afterNumber, limit, ct);

    public Task<IReadOnlyList<ViewDocument>> ListCommentsAsync(string projectKey, string taskId, int afterNumber, int limit, CancellationToken ct = default) =>
        inner.ListCommentsAsync(projectKey, taskId, afterNumber, limit, ct);
    public Task<IReadOnlyList<ViewDocument>> ListByIdAsync(string partition, IReadOnlyList<string> kinds, string? afterId, int limit, CancellationToken ct = default) =>
        inner.ListByIdAsync(partition, kinds, afterId, limit, ct);

    public Task FenceProjectAsync(string projectKey, CancellationToken ct = default) => inner.FenceProjectAsync(projectKey, ct);
}
