using Microsoft.Data.Sqlite;

namespace Kanbatte.Storage.Sqlite;

/// <summary>
/// One of the store's connections with its prepared statements. Microsoft.Data.Sqlite prepares a statement per command
/// object and keeps no cache across commands (dotnet/efcore#14044), while Kanbatte runs the same few statements for every
/// request; so each connection keeps one command per SQL text and only binds new parameters. A command handed out here
/// belongs to the session: use it, dispose its readers, never dispose it.
/// </summary>
public sealed class SqliteSession : IAsyncDisposable
{
    // Dynamic list queries (filters, sorts) have many texts; past this many the cache starts over.
    private const int MaxStatements = 64;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly Action<SqliteSession>? _release;

    internal SqliteSession(SqliteConnection connection, Action<SqliteSession>? release)
    {
        Connection = connection;
        _release = release;
    }

    public SqliteConnection Connection { get; }

    /// <summary>The write transaction, while the session is the writer's and a write is running.</summary>
    public SqliteTransaction? Transaction { get; internal set; }

    /// <summary>The events the write transaction's appends wrote, for the steps that run on them before it commits.</summary>
    internal TransactionAppends Appends { get; } = new();

    /// <summary>The prepared command for <paramref name="sql"/>, in the current transaction, with no parameters bound yet.</summary>
    public SqliteCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            if (_commands.Count == MaxStatements) ClearStatements();
            command = Connection.CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }
        command.Transaction = Transaction;
        command.Parameters.Clear();
        return command;
    }

    /// <summary>
    /// A transaction that only reads, so its queries see one consistent state. Deferred: Microsoft.Data.Sqlite's default
    /// is <c>BEGIN IMMEDIATE</c>, which takes the database's write lock, and the writer's statements would then be busy and
    /// retried by Microsoft.Data.Sqlite, with a sleep between tries, for as long as the reading goes on.
    /// </summary>
    public SqliteTransaction BeginRead() => Connection.BeginTransaction(deferred: true);

    /// <summary>Gives a reading session back to the store's pool.</summary>
    public ValueTask DisposeAsync()
    {
        _release?.Invoke(this);
        return ValueTask.CompletedTask;
    }

    internal void Close()
    {
        ClearStatements();
        Connection.Dispose();
    }

    private void ClearStatements()
    {
        foreach (var command in _commands.Values) command.Dispose();
        _commands.Clear();
    }
}

/// <summary>
/// Every read and write on one session inside its current write transaction: stores used from within a write see that
/// write's own uncommitted rows, and their writes commit or roll back with it.
/// </summary>
internal sealed class InTransaction(SqliteSession session) : ISqliteSessions
{
    public SqliteSession Read() => session; // the writer's session: disposing it does nothing

    public Task<T> WriteAsync<T>(Func<SqliteSession, Task<T>> work, CancellationToken ct) => work(session);
}
