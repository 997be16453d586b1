using Kanbatte.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Kanbatte.Storage.Tests;

public sealed class SqliteEventStoreContract() : EventStoreContract(new SqliteStoreFactory());

public sealed class SqliteEventFeedContract() : EventFeedContract(new SqliteStoreFactory());

public sealed class SqliteViewStoreContract() : ViewStoreContract(new SqliteStoreFactory());

public sealed class SqliteProjectorContract() : ProjectorContract(new SqliteStoreFactory());

/// <summary>SQLite specifics: the log is append-only in the database itself, and data outlives the process's handles.</summary>
public sealed class SqliteStoreTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kanbatte-sqlite-");
    private string DbPath => Path.Combine(_folder.FullName, "k.db");

    [Theory]
    [InlineData("UPDATE event_log SET data = '{}'")]
    [InlineData("DELETE FROM event_log")]
    [InlineData("UPDATE event_log SET version = 5 WHERE version = 1")]
    public async Task The_event_log_refuses_updates_and_deletes(string sql)
    {
        using var db = new SqliteDatabase(new SqliteOptions { Path = DbPath });
        await new SqliteEventStore(db).AppendAsync("project:AI", 0, [EventStoreContractEvents.Of("project:AI", 1)]);

        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var e = await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteNonQueryAsync());
        Assert.Contains("append-only", e.Message);
        Assert.Single(await new SqliteEventStore(db).ReadStreamAsync("project:AI", 1));
    }

    [Fact]
    public async Task Data_survives_reopening_the_file()
    {
        using (var db = new SqliteDatabase(new SqliteOptions { Path = DbPath }))
        {
            await new SqliteEventStore(db).AppendAsync("project:AI", 0, [EventStoreContractEvents.Of("project:AI", 1)]);
            await new SqliteCheckpointStore(db).SaveAsync("view", 1);
        }
        SqliteConnection.ClearAllPools();

        using var reopened = new SqliteDatabase(new SqliteOptions { Path = DbPath });
        Assert.Single(await new SqliteEventStore(reopened).ReadStreamAsync("project:AI", 1));
        Assert.Equal(1, await new SqliteCheckpointStore(reopened).GetAsync("view"));
    }

    [Fact]
    public void An_unknown_synchronous_mode_is_refused() =>
        Assert.Throws<ArgumentException>(() => new SqliteDatabase(new SqliteOptions { Path = DbPath, Synchronous = "sometimes" }));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }
}
