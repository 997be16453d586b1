using System.Net;
using Kanbatte.Testing;

namespace Kanbatte.FunctionalTests;

/// <summary>
/// The server keeps long streams' snapshots: its write pipeline offers one as a task's version passes 20, and its
/// background pass (StreamSnapshotService) writes it to the store, while no command waits for it.
/// </summary>
public sealed class StreamSnapshotHostTests(KanbatteFactory factory) : IClassFixture<KanbatteFactory>
{
    [Fact]
    public async Task A_task_changed_twenty_times_has_its_state_snapshot_written_by_the_server()
    {
        var client = factory.CreateClient();
        var key = await client.NewProjectAsync("SS");
        var id = (await (await client.PostJsonAsync($"/api/projects/{key}/tasks", new { title = "Renamed often" })).JsonAsync()).GetProperty("id").GetString()!;
        for (var i = 1; i <= 20; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.PatchJsonAsync($"/api/tasks/{id}", new { title = $"Rename {i}" })).StatusCode);

        // Version 21 now: the snapshot of version 20 is written by the next pass, within about a second.
        var sql = $"SELECT COALESCE(MAX(version), 0) FROM stream_snapshots WHERE stream_id = 'task:{id}'";
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (factory.Scalar(sql) == 0 && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.Equal(20, factory.Scalar(sql));
        // The state at version 20: the created task and its first 19 renames.
        Assert.Equal(1, factory.Scalar($"SELECT json_extract(state, '$.task.title') = 'Rename 19' FROM stream_snapshots WHERE stream_id = 'task:{id}'"));
    }
}
