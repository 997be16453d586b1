using Kanbatte.Storage.Sqlite;

namespace Kanbatte.Storage.Tests;

/// <summary>Concurrent writes are committed together; each stays atomic on its own.</summary>
public sealed class SqliteGroupCommitTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kanbatte-group-");

    [Fact]
    public async Task A_write_that_fails_in_a_group_is_rolled_back_alone_and_the_others_commit()
    {
        using var db = new SqliteDatabase(new SqliteOptions { Path = Path.Combine(_folder.FullName, "k.db") });
        // 200 writers at once, each inserting two rows; every third one fails after its first insert.
        var writes = Enumerable.Range(0, 200).Select(i => Task.Run(() => db.WriteAsync(async session =>
        {
            for (var row = 0; row < 2; row++)
            {
                var insert = session.Command("INSERT INTO counters (project_key, name, value) VALUES ($k, $n, $v)");
                insert.Parameters.AddWithValue("$k", $"W{i}");
                insert.Parameters.AddWithValue("$n", $"row{row}");
                insert.Parameters.AddWithValue("$v", i);
                await insert.ExecuteNonQueryAsync();
                if (i % 3 == 0) throw new InvalidOperationException($"write {i} fails half-way");
            }
            return i;
        }, CancellationToken.None))).ToList();

        for (var i = 0; i < writes.Count; i++)
        {
            if (i % 3 == 0)
                Assert.Equal($"write {i} fails half-way", (await Assert.ThrowsAsync<InvalidOperationException>(() => writes[i])).Message);
            else
                Assert.Equal(i, await writes[i]);
        }

        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT project_key FROM counters";
        var keys = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) keys.Add(reader.GetString(0));
        var expected = Enumerable.Range(0, 200).Where(i => i % 3 != 0).SelectMany(i => new[] { $"W{i}", $"W{i}" }).Order();
        Assert.Equal(expected, keys.Order());
    }

    [Fact]
    public async Task The_writer_keeps_what_its_savepoints_undo_in_memory()
    {
        // A group's savepoints keep the pages they change in a sub-journal; on a temp file that costs a create, two
        // writes a page and a delete per commit (half the writes a create made).
        using var db = new SqliteDatabase(new SqliteOptions { Path = Path.Combine(_folder.FullName, "k.db") });
        var tempStore = await db.WriteAsync(session => session.Command("PRAGMA temp_store").ExecuteScalarAsync(), CancellationToken.None);
        Assert.Equal(2L, tempStore); // MEMORY
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { _folder.Delete(recursive: true); } catch (IOException) { }
    }
}
