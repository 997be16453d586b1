using System.Text.Json;
using Kanbatte.Application;
using Kanbatte.Storage.Sqlite;

namespace Kanbatte.Storage.Tests;

/// <summary>
/// Task, comment and followup numbers come from memory and reach the file with the group commit of the write that uses
/// them: never a number in the log that a restarted server would hand out again, never one number twice.
/// </summary>
public sealed class SqliteCountersTests : IDisposable
{
    private static readonly EventMetadata Meta = new("counter-test");
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kanbatte-counters-");

    private string File => Path.Combine(_folder.FullName, "k.db");

    [Fact]
    public async Task A_number_reaches_the_file_with_the_commit_of_the_write_that_uses_it()
    {
        using var db = new SqliteDatabase(new SqliteOptions { Path = File });
        var counters = new SqliteCounterStore(db);
        var events = new SqliteEventStore(db);

        Assert.Equal(1, await counters.NextAsync("AI", "task"));
        Assert.Equal(2, await counters.NextAsync("AI", "task"));
        Assert.Null(Stored("AI", "task")); // handed out, not yet used by a write

        await AppendAsync(events, "task:AI-2");
        Assert.Equal(2, Stored("AI", "task"));
        Assert.Equal(1, await counters.NextAsync("AI", "comment"));
        await AppendAsync(events, "task:AI-1");
        Assert.Equal(1, Stored("AI", "comment"));
    }

    [Fact]
    public async Task A_reopened_file_goes_on_after_the_numbers_its_writes_used()
    {
        using (var db = new SqliteDatabase(new SqliteOptions { Path = File }))
        {
            var counters = new SqliteCounterStore(db);
            for (var i = 0; i < 3; i++) await counters.NextAsync("AI", "task");
            await AppendAsync(new SqliteEventStore(db), "task:AI-3");
            await counters.NextAsync("AI", "task"); // 4: no write used it, so a restart may hand it out again
        }

        using var reopened = new SqliteDatabase(new SqliteOptions { Path = File });
        Assert.Equal(4, await new SqliteCounterStore(reopened).NextAsync("AI", "task"));
        Assert.Equal(1, await new SqliteCounterStore(reopened).NextAsync("AI", "followup"));
    }

    [Fact]
    public async Task A_second_writer_that_took_the_same_numbers_fails_its_commit_instead_of_writing_them_twice()
    {
        using var first = new SqliteDatabase(new SqliteOptions { Path = File });
        using var second = new SqliteDatabase(new SqliteOptions { Path = File }); // another server process on the same file
        Assert.Equal(1, await new SqliteCounterStore(first).NextAsync("AI", "comment"));
        Assert.Equal(1, await new SqliteCounterStore(second).NextAsync("AI", "comment"));

        await AppendAsync(new SqliteEventStore(first), "task:AI-1");
        var refused = await Assert.ThrowsAsync<StoreBusyException>(() => AppendAsync(new SqliteEventStore(second), "task:AI-2"));
        Assert.Contains("Another writer", refused.Message);
        Assert.Empty(await new SqliteEventStore(second).ReadStreamAsync("task:AI-2", 1)); // nothing of the group was written

        // The second goes on from the file's value, and its next write commits.
        Assert.Equal(2, await new SqliteCounterStore(second).NextAsync("AI", "comment"));
        await AppendAsync(new SqliteEventStore(second), "task:AI-2");
        Assert.Equal(2, Stored("AI", "comment"));
    }

    private static Task<long> AppendAsync(SqliteEventStore events, string streamId) =>
        events.AppendAsync(streamId, 0, [new EventEnvelope(streamId, 1, "task_created", 2, JsonDocument.Parse("{}").RootElement, DateTimeOffset.UtcNow, Meta)]);

    private long? Stored(string projectKey, string name)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={File};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM counters WHERE project_key = $k AND name = $n";
        command.Parameters.AddWithValue("$k", projectKey);
        command.Parameters.AddWithValue("$n", name);
        return command.ExecuteScalar() as long?;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }
}
