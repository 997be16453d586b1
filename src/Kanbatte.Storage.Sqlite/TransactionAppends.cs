using Kanbatte.Application;

namespace Kanbatte.Storage.Sqlite;

/// <summary>
/// What the writes of one writer transaction appended, with the <see cref="IInTransactionStep"/>s their appends carry
/// (<see cref="SqliteEventStore"/>). The steps run once, on all of those events, just before the transaction commits: under
/// load a group commit holds many appends, and inline projection then writes one changes-journal entry a project and one
/// checkpoint a commit instead of one a write. A write that fails is rolled back to its savepoint, and what it appended is
/// forgotten with it.
/// </summary>
internal sealed class TransactionAppends
{
    // Consecutive appends with the same steps (the pipeline's one list) make one run; another list starts another.
    private readonly List<(IReadOnlyList<IInTransactionStep> Steps, List<EventEnvelope> Events)> _runs = [];
    private readonly List<(IReadOnlyList<IInTransactionStep> Steps, IReadOnlyList<EventEnvelope> Events)> _staged = [];

    /// <summary>Events the running write appended; kept if it succeeds (<see cref="Keep"/>), else dropped.</summary>
    public void Stage(IReadOnlyList<IInTransactionStep> steps, IReadOnlyList<EventEnvelope> appended) => _staged.Add((steps, appended));

    public void Keep()
    {
        foreach (var (steps, events) in _staged)
        {
            if (_runs.Count > 0 && ReferenceEquals(_runs[^1].Steps, steps)) _runs[^1].Events.AddRange(events);
            else _runs.Add((steps, [.. events]));
        }
        _staged.Clear();
    }

    public void Drop() => _staged.Clear();

    /// <summary>Runs each run's steps on its events, inside the transaction; returns what to do once it has committed.</summary>
    public async Task<List<Action>> RunStepsAsync(SqliteSession session)
    {
        var then = new List<Action>();
        if (_runs.Count == 0) return then;
        var runs = _runs.ToList();
        _runs.Clear();
        var transaction = new SqliteAppendTransaction(session);
        foreach (var (steps, events) in runs)
            foreach (var step in steps)
                if (await step.RunAsync(transaction, events, CancellationToken.None) is { } after) then.Add(after);
        return then;
    }

    public void Clear()
    {
        _runs.Clear();
        _staged.Clear();
    }
}
