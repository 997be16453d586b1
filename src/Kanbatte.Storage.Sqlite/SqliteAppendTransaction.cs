using Kanbatte.Application;

namespace Kanbatte.Storage.Sqlite;

/// <summary>
/// An append's transaction on the writer's session, for the steps that run inside it: the stores over it read the
/// append's own uncommitted rows and write with it.
/// </summary>
internal sealed class SqliteAppendTransaction(SqliteSession session) : IAppendTransaction
{
    private int _steps;

    public ISqliteSessions Sessions { get; } = new InTransaction(session);

    public IEventStore Events => field ??= new SqliteEventStore(Sessions);

    public IViewStore View => field ??= new SqliteViewStore(Sessions, SqliteViewStore.DefaultTable);

    public ICheckpointStore Checkpoints => field ??= new SqliteCheckpointStore(Sessions);

    public IChangeJournal Changes => field ??= new SqliteChangeJournal(Sessions);

    /// <summary>In a savepoint of its own: a failing step is rolled back alone, within the write's own savepoint.</summary>
    public async Task IsolatedAsync(Func<Task> work, CancellationToken ct)
    {
        var name = $"step{++_steps}";
        session.Command($"SAVEPOINT {name}").ExecuteNonQuery();
        try
        {
            await work();
        }
        catch
        {
            session.Command($"ROLLBACK TO {name}; RELEASE {name}").ExecuteNonQuery();
            throw;
        }
        session.Command($"RELEASE {name}").ExecuteNonQuery();
    }
}
