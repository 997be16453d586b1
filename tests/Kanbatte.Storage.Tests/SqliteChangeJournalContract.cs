using Kanbatte.Application;
using Kanbatte.Storage.Sqlite;

namespace Kanbatte.Storage.Tests;

public sealed class SqliteChangeJournalContract() : ChangeJournalContract(new SqliteStoreFactory())
{
    [Fact]
    public async Task Purged_entries_are_gone_and_a_read_that_needs_one_says_so()
    {
        for (var i = 1; i <= 4; i++) await Journal.AppendAsync("AI", [TaskChange($"AI-{i:D3}", i)], T0.AddDays(i));

        Assert.Equal(2, await Journal.PurgeAsync(T0.AddDays(2.5)));

        Assert.Equal([3L, 4L], (await Journal.ReadAsync("AI", 2, 10)).Select(e => e.Seq));
        await Assert.ThrowsAsync<ChangesExpiredException>(() => Journal.ReadAsync("AI", 1, 10));
        // Numbers go on after a purge, even of every entry: a cursor never meets a number twice.
        await Journal.PurgeAsync(T0.AddDays(10));
        Assert.Equal(5, await Journal.AppendAsync("AI", [TaskChange("AI-005", 1)], T0.AddDays(11)));
    }
}
