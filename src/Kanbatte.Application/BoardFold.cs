using Kanbatte.Domain;

namespace Kanbatte.Application;

/// <summary>
/// A project's tasks folded from its events in the order a project read returns them (<see cref="IEventStore.ReadProjectAsync"/>):
/// what a board as of a time shows, and what a board snapshot holds. One fold for the query and for the stores that
/// take snapshots by folding (Cosmos DB), so a snapshot and the events after it give the same board as the whole history.
/// </summary>
public sealed class BoardFold
{
    private readonly Dictionary<string, TaskState> _tasks = new(StringComparer.Ordinal);

    /// <summary>Starts from a snapshot's tasks (their JSON as stored), or from nothing.</summary>
    public BoardFold(IEnumerable<string>? tasksJson = null)
    {
        foreach (var json in tasksJson ?? [])
        {
            var task = KanbatteJson.Deserialize<TaskState>(json);
            _tasks[StreamIds.Task(task.Id)] = task;
        }
    }

    public int Count => _tasks.Count;

    public IEnumerable<TaskState> Tasks => _tasks.Values;

    /// <summary>Applies one event: task events change their task; the project stream's events do not touch the board.</summary>
    public void Apply(EventEnvelope e)
    {
        if (!e.StreamId.StartsWith(StreamIds.TaskPrefix, StringComparison.Ordinal)) return;
        var task = TaskDecider.Evolve(_tasks.GetValueOrDefault(e.StreamId), EventCodec.Decode(e), e.Version, e.RecordedAt);
        if (task is not null) _tasks[e.StreamId] = task;
    }

    /// <summary>One column per status in workflow order: its count (archived tasks left out) and its first tasks in rank order.</summary>
    public IReadOnlyList<(string Status, int Count, IReadOnlyList<TaskState> Tasks)> Columns(int limitPerColumn) =>
        Statuses.All.Select(status =>
        {
            var column = _tasks.Values.Where(t => t.Status == status && !t.Archived).ToList();
            IReadOnlyList<TaskState> top = column.OrderBy(t => t.Rank, StringComparer.Ordinal).ThenBy(t => t.Number).Take(limitPerColumn).ToList();
            return (status, column.Count, top);
        }).ToList();
}
