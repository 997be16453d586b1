using Kanbatte.Storage.Cosmos;
using Kanbatte.Testing.RoundTrips;
using Xunit.Abstractions;

namespace Kanbatte.ReliabilityTests;

/// <summary>
/// Store round trips per operation are exact and machine-independent, so they are held to a budget in the test command:
/// a command is one stream read and one append (plus one counter increment for a creation), a get one point read, a page
/// one query, projecting an event at most one read and one write per view document. A count that grows fails here.
/// </summary>
public sealed class RoundTripBudgetTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_operation_stays_within_its_round_trip_budget()
    {
        var rows = await RoundTripMeter.MeasureSqliteAsync();
        output.WriteLine(RoundTripMeter.ToMarkdown(rows));

        Assert.Equal(20, rows.Count);
        var over = rows.Where(r => !r.WithinBudget).Select(r => $"{r.Operation}: {r.Total} > {r.Budget} ({string.Join(", ", r.Calls)})").ToList();
        Assert.True(over.Count == 0, "over budget: " + string.Join("; ", over));

        // The exact figures published in docs/performance.md; a change in either direction means the table must be redone.
        var published = new Dictionary<string, int>
        {
            // Since users: every command and read on a project first checks the caller's membership (one project stream
            // read where nothing is cached), and a project's creation also writes its owner's member document and copy.
            ["create project"] = 1, ["create task"] = 3, ["update task"] = 3, ["update task (no change)"] = 2, ["add comment"] = 4,
            // Since the changes feed: each projected batch appends one changes journal entry per project, and a batch
            // delivered again tells its entities again (reading the ones it did not write).
            ["project project_created (project + its owner: member and their copy)"] = 3, ["project task_created"] = 3, ["project task_updated"] = 3,
            ["project comment_added (task + comment)"] = 3, ["project a duplicate"] = 3, ["feed catch-up (1 new event)"] = 7,
            ["get task"] = 2, ["list one page of tasks"] = 2, ["list one page of comments"] = 2, ["task history page"] = 2,
            ["list one page of the caller's projects"] = 1, ["changes: a first pull (one page)"] = 7, ["changes: a later pull"] = 3,
            // Since issue 14: a project's activity page and its board as of a time (the latest snapshot and the events after it).
            ["activity page"] = 3, ["board asOf"] = 4,
        };
        Assert.Equal(published, rows.ToDictionary(r => r.Operation, r => r.Total));
    }

    /// <summary>The cross-partition count above is not vacuous: a query across the event log's partitions is counted, one within a partition is not.</summary>
    [Fact]
    public async Task The_request_counter_tells_a_cross_partition_query_from_a_single_partition_one()
    {
        var (across, within) = await RoundTripMeter.ProbeCrossPartitionAsync();
        Assert.True(across > 0, "a query across the event log's partitions was not counted as cross-partition");
        Assert.Equal(0, within);
    }

    /// <summary>
    /// The Cosmos DB store on the Cosmos-protocol test server (started once per test process): port calls and the
    /// data-plane requests the SDK sent, both held to the budget and to the published figures.
    /// </summary>
    [Fact]
    public async Task Every_operation_on_Cosmos_DB_stays_within_its_round_trip_budget()
    {
        var rows = await RoundTripMeter.MeasureCosmosAsync();
        output.WriteLine(RoundTripMeter.ToMarkdown(rows));

        Assert.Equal(19, rows.Count); // the SQLite rows but the feed catch-up: the change feed and its leases are the Functions host's
        // A warm client reads no metadata, and the SDK retried nothing: every request to an item went out exactly once.
        Assert.All(rows, r => Assert.Equal((r.Operation, 0), (r.Operation, r.MetadataRequests)));
        Assert.All(rows, r => Assert.Equal((r.Operation, r.RequestTotal), (r.Operation, r.WireDataRequests)));
        // Every query in the table ran within one logical partition (it carried the partition key): none reads across partitions.
        Assert.All(rows, r => Assert.Equal((r.Operation, 0), (r.Operation, r.CrossPartitionQueries)));
        Assert.Contains(rows, r => r.Requests!.Keys.Any(k => k.StartsWith(CosmosOptions.Names.ProjectLog + ".query", StringComparison.Ordinal)));

        var over = rows.Where(r => !r.WithinBudget).Select(r => $"{r.Operation}: {r.RequestTotal} requests > {r.Budget} ({string.Join(", ", r.Requests ?? new Dictionary<string, int>())})").ToList();
        Assert.True(over.Count == 0, "over budget: " + string.Join("; ", over));

        // The exact figures published in docs/performance.md, (port calls, requests); a change in either direction means the table must be redone.
        var published = new Dictionary<string, (int, int)>
        {
            ["create project"] = (1, 1), ["create task"] = (3, 3), ["update task"] = (3, 3), ["update task (no change)"] = (2, 2), ["add comment"] = (4, 4),
            // A journal entry is a counter increment and a create (and the counter's creation for a project's first entry);
            // the epoch is the active view pointer's, read from the process's cache.
            // Since issue 14 each batch is also copied into the project log (a create per event, a read of the project's
            // snapshot frontier) and handed to the snapshot capture (nothing until a snapshot is due; the first batch of a
            // project an instance sees looks at its latest snapshot and counts the events after it: 2 queries).
            // And each view document written is read first (an ETag-guarded write never moves it back): one request more each.
            ["project project_created (project + its owner: member and their copy)"] = (5, 14), ["project task_created"] = (5, 7), ["project task_updated"] = (5, 7),
            ["project comment_added (task + comment)"] = (5, 9), ["project a duplicate"] = (5, 6),
            ["get task"] = (2, 2), ["list one page of tasks"] = (2, 2), ["list one page of comments"] = (2, 2), ["task history page"] = (2, 2),
            ["list one page of the caller's projects"] = (1, 1), ["changes: a first pull (one page)"] = (7, 7), ["changes: a later pull"] = (3, 2),
            // The project's events from its partition of the project log: one query a page, never across partitions.
            ["activity page"] = (3, 3), ["board asOf"] = (4, 4),
            // Since the first pull's fence: a marker written in the project's partition and in the projects' partition.
        };
        Assert.Equal(published, rows.ToDictionary(r => r.Operation, r => (r.Total, r.RequestTotal)));
    }
}
