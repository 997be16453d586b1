using Kanbatte.Application;

namespace Kanbatte.Storage.Tests;

/// <summary>What every view store must do: point reads, ordered writes, and keyset-paged lists.</summary>
public abstract class ViewStoreContract(IStoreFactory factory) : IAsyncLifetime
{
    protected StoreUnderTest Store { get; private set; } = null!;
    private IViewStore View => Store.View;

    public async Task InitializeAsync() => Store = await factory.CreateAsync();
    public async Task DisposeAsync() => await Store.DisposeAsync();

    private static ViewChange Task(string project, int number, string status, int version = 1)
    {
        var id = $"{project}-{number:D3}";
        var (p, docId) = ViewKeys.Task(project, id);
        return new ViewChange(new ViewDocument(p, docId, ViewKeys.TaskKind, version,
            $$"""{"id":"{{id}}","projectKey":"{{project}}","number":{{number}},"status":"{{status}}","archived":false}"""));
    }

    private static ViewChange Comment(string project, string taskId, int number)
    {
        var (p, id) = ViewKeys.Comment(project, $"CM-{number}");
        return new ViewChange(new ViewDocument(p, id, ViewKeys.CommentKind, 1,
            $$"""{"id":"CM-{{number}}","taskId":"{{taskId}}","number":{{number}}}"""));
    }

    private static ViewChange Project(string key)
    {
        var (p, id) = ViewKeys.Project(key);
        return new ViewChange(new ViewDocument(p, id, ViewKeys.ProjectKind, 1, $$"""{"key":"{{key}}"}"""));
    }

    [Fact]
    public async Task Written_documents_are_point_reads_and_upserts_replace_them()
    {
        await View.WriteAsync([Task("AI", 1, "todo")]);
        await View.WriteAsync([Task("AI", 1, "done", version: 2)]);

        var doc = await View.GetAsync("AI", "task:AI-001");
        Assert.NotNull(doc);
        Assert.Equal(("AI", "task:AI-001", "task", 2), (doc.Partition, doc.Id, doc.Kind, doc.Version));
        Assert.Contains("\"done\"", doc.Json);
        Assert.Null(await View.GetAsync("AI", "task:AI-002"));
        Assert.Null(await View.GetAsync("WEB", "task:AI-001"));
    }

    [Fact]
    public async Task A_boards_counts_follow_every_write_of_its_tasks()
    {
        static ViewChange Archived(string project, int number, string status, int version)
        {
            var change = Task(project, number, status, version);
            return change with { Document = change.Document! with { Json = change.Document.Json.Replace("\"archived\":false", "\"archived\":true", StringComparison.Ordinal) } };
        }

        await View.WriteAsync([Task("AI", 1, "todo"), Task("AI", 2, "todo"), Task("AI", 3, "done"), Task("AI", 4, "review"), Task("WEB", 1, "todo"), Comment("AI", "AI-001", 1)]);
        await View.WriteAsync([Task("AI", 2, "in_progress", version: 2)]);       // moved
        await View.WriteAsync([Archived("AI", 3, "done", version: 2)]);          // archived: off the board
        await View.WriteAsync([Archived("AI", 4, "review", version: 2)]);
        await View.WriteAsync([Task("AI", 4, "review", version: 3)]);            // restored
        await View.WriteAsync([Task("AI", 1, "in_progress", version: 2), Task("AI", 1, "todo", version: 3)]); // there and back
        var (p, id) = ViewKeys.Task("AI", "AI-002");
        await View.WriteAsync([Task("AI", 5, "todo"), ViewChange.Delete(p, id, 3)]);

        var counts = await View.CountTasksByStatusAsync("AI");
        Assert.Equal(new Dictionary<string, int> { ["todo"] = 2, ["review"] = 1 }, counts.Where(c => c.Value > 0).ToDictionary());
        Assert.Equal(1, (await View.CountTasksByStatusAsync("WEB"))["todo"]);
    }

    [Fact]
    public async Task A_change_without_a_document_deletes()
    {
        await View.WriteAsync([Comment("AI", "AI-001", 1)]);
        var (p, id) = ViewKeys.Comment("AI", "CM-1");
        await View.WriteAsync([ViewChange.Delete(p, id, 2), ViewChange.Delete(p, "comment:CM-404", 1)]);
        Assert.Null(await View.GetAsync(p, id));
    }

    [Fact]
    public async Task A_write_of_an_older_version_leaves_the_newer_document()
    {
        // The same batch projected twice at once (a lease handed over mid-batch), or a re-drive beside the live projector:
        // the late writer's older state must not replace what the other wrote.
        await View.WriteAsync([Task("AI", 1, "done", version: 3)]);
        await View.WriteAsync([Task("AI", 1, "todo", version: 2)]);
        var (p, id) = ViewKeys.Task("AI", "AI-001");
        var doc = await View.GetAsync(p, id);
        Assert.Equal(3, doc?.Version);
        Assert.Contains("\"status\":\"done\"", doc!.Json, StringComparison.Ordinal);
        Assert.Equal(1, (await View.CountTasksByStatusAsync("AI")).GetValueOrDefault("done"));
    }

    [Fact]
    public async Task A_delete_made_by_an_earlier_event_leaves_a_document_written_since()
    {
        // A member removed at version 5 and added again at 7: the removal, projected late (a re-drive of a parked event),
        // must not delete the member written since.
        var (p, id) = ViewKeys.Member("AI", "user-1");
        await View.WriteAsync([new ViewChange(new ViewDocument(p, id, ViewKeys.MemberKind, 7, """{"userId":"user-1","role":"member"}"""))]);
        await View.WriteAsync([ViewChange.Delete(p, id, 5)]);
        Assert.Equal(7, (await View.GetAsync(p, id))?.Version);
        await View.WriteAsync([ViewChange.Delete(p, id, 7)]);
        Assert.Null(await View.GetAsync(p, id));
    }

    [Fact]
    public async Task Projects_list_in_key_order_after_a_key()
    {
        await View.WriteAsync([Project("WEB"), Project("AI"), Project("OPS"), Task("AI", 1, "todo")]);

        Assert.Equal(["AI", "OPS", "WEB"], Keys(await View.ListProjectsAsync(null, 10)));
        Assert.Equal(["AI", "OPS"], Keys(await View.ListProjectsAsync(null, 2)));
        Assert.Equal(["WEB"], Keys(await View.ListProjectsAsync("OPS", 2)));

        static IEnumerable<string> Keys(IReadOnlyList<ViewDocument> docs) => docs.Select(d => d.Id["project:".Length..]);
    }

    [Fact]
    public async Task Tasks_list_by_number_within_their_project_with_a_status_filter()
    {
        // Written out of order, numbers past 999, and a second project in the mix.
        await View.WriteAsync([Task("AI", 1000, "todo"), Task("AI", 2, "done"), Task("AI", 1, "todo"), Task("AI", 3, "review"), Task("WEB", 1, "todo"), Comment("AI", "AI-001", 1)]);

        Assert.Equal([1, 2, 3, 1000], Numbers(await View.ListTasksAsync(new TaskListQuery("AI", [], 0, 10))));
        Assert.Equal([1, 2], Numbers(await View.ListTasksAsync(new TaskListQuery("AI", [], 0, 2))));
        Assert.Equal([3, 1000], Numbers(await View.ListTasksAsync(new TaskListQuery("AI", [], 2, 2))));
        Assert.Equal([1, 1000], Numbers(await View.ListTasksAsync(new TaskListQuery("AI", ["todo"], 0, 10))));
        Assert.Equal([2, 3], Numbers(await View.ListTasksAsync(new TaskListQuery("AI", ["done", "review"], 0, 10))));
        Assert.Empty(await View.ListTasksAsync(new TaskListQuery("OPS", [], 0, 10)));
    }

    [Fact]
    public async Task Comments_list_by_number_for_their_task_only()
    {
        await View.WriteAsync([Comment("AI", "AI-001", 3), Comment("AI", "AI-002", 2), Comment("AI", "AI-001", 1), Comment("AI", "AI-001", 10), Task("AI", 1, "todo")]);

        Assert.Equal([1, 3, 10], Numbers(await View.ListCommentsAsync("AI", "AI-001", 0, 10)));
        Assert.Equal([3, 10], Numbers(await View.ListCommentsAsync("AI", "AI-001", 1, 10)));
        Assert.Equal([1], Numbers(await View.ListCommentsAsync("AI", "AI-001", 0, 1)));
        Assert.Equal([2], Numbers(await View.ListCommentsAsync("AI", "AI-002", 0, 10)));
    }

    private static ViewChange Followup(string project, string taskId, int number, string status)
    {
        var (p, id) = ViewKeys.Followup(project, $"FU-{number}");
        return new ViewChange(new ViewDocument(p, id, ViewKeys.FollowupKind, 1,
            $$"""{"id":"FU-{{number}}","taskId":"{{taskId}}","number":{{number}},"status":"{{status}}"}"""));
    }

    [Fact]
    public async Task Followups_list_by_number_per_task_or_project_and_by_status()
    {
        await View.WriteAsync([Followup("AI", "AI-001", 3, "open"), Followup("AI", "AI-002", 2, "resolved"), Followup("AI", "AI-001", 1, "resolved"),
            Followup("AI", "AI-002", 10, "open"), Followup("WEB", "WEB-001", 4, "open"), Comment("AI", "AI-001", 5), Task("AI", 1, "todo")]);

        Assert.Equal([1, 2, 3, 10], Numbers(await View.ListFollowupsAsync("AI", null, [], 0, 10)));
        Assert.Equal([3, 10], Numbers(await View.ListFollowupsAsync("AI", null, ["open"], 0, 10)));
        Assert.Equal([1, 2], Numbers(await View.ListFollowupsAsync("AI", null, ["open", "resolved"], 0, 2)));
        Assert.Equal([10], Numbers(await View.ListFollowupsAsync("AI", null, ["open"], 3, 10)));
        Assert.Equal([1, 3], Numbers(await View.ListFollowupsAsync("AI", "AI-001", [], 0, 10)));
        Assert.Equal([2], Numbers(await View.ListFollowupsAsync("AI", "AI-002", ["resolved"], 0, 10)));
        Assert.Empty(await View.ListFollowupsAsync("OPS", null, [], 0, 10));
    }

    [Fact]
    public async Task A_fence_leaves_every_read_and_list_as_it_was()
    {
        await View.WriteAsync([Project("AI"), Project("WEB"), Task("AI", 1, "todo"), Task("AI", 2, "done"), Comment("AI", "AI-001", 1), Followup("AI", "AI-001", 2, "open")]);
        string[] everyKind = [ViewKeys.ProjectKind, ViewKeys.TaskKind, ViewKeys.CommentKind, ViewKeys.FollowupKind, ViewKeys.MemberKind, ViewKeys.MembershipKind, ViewKeys.UnownedKind];
        async Task<object> Everything() => new
        {
            Projects = Ids(await View.ListProjectsAsync(null, 10)),
            Partition = Ids(await View.ListByIdAsync("AI", everyKind, null, 10)),
            ProjectsPartition = Ids(await View.ListByIdAsync(ViewKeys.ProjectsPartition, everyKind, null, 10)),
            Tasks = Ids(await View.ListTasksAsync(new TaskListQuery("AI", [], 0, 10))),
            Counts = string.Join(",", (await View.CountTasksByStatusAsync("AI")).OrderBy(c => c.Key).Select(c => $"{c.Key}={c.Value}")),
            Comments = Ids(await View.ListCommentsAsync("AI", "AI-001", 0, 10)),
            Followups = Ids(await View.ListFollowupsAsync("AI", null, [], 0, 10)),
        };
        var before = await Everything();

        await View.FenceProjectAsync("AI");
        await View.FenceProjectAsync("AI"); // again: a fence is written over, never added up

        Assert.Equal(before, await Everything());
        Assert.Equal("AI", KeyOf(await View.GetAsync(ViewKeys.ProjectsPartition, "project:AI")));
        static string KeyOf(ViewDocument? doc) => System.Text.Json.JsonDocument.Parse(doc!.Json).RootElement.GetProperty("key").GetString()!;
    }

    private static string Ids(IReadOnlyList<ViewDocument> docs) => string.Join(",", docs.Select(d => d.Id));

    private static IEnumerable<int> Numbers(IReadOnlyList<ViewDocument> docs) =>
        docs.Select(d => System.Text.Json.JsonDocument.Parse(d.Json).RootElement.GetProperty("number").GetInt32());
}
