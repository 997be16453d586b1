using Kanbatte.Application;

namespace Kanbatte.Storage.Tests;

// The store contract suite against the Cosmos DB store, over the Cosmos-protocol test server (tests/cosmos-server).
public sealed class CosmosViewStoreContract() : ViewStoreContract(new CosmosStoreFactory())
{
    // Cosmos DB's own: its writers run side by side (a rebuild's last pass beside the live projector), where SQLite's
    // run one at a time in the writer's turn, each reading what it replaces, so no older state can land after a delete.

    [Fact]
    public async Task What_a_delete_removed_no_older_write_brings_back()
    {
        // The rebuild's last pass read the task before the live projector deleted its comment at version 3, and writes the
        // comment as it was at version 2 afterwards.
        var (p, id) = ViewKeys.Comment("AI", "CM-1");
        await Store.View.WriteAsync([Comment(p, id, 1)]);
        await Store.View.WriteAsync([ViewChange.Delete(p, id, 3)]);
        await Store.View.WriteAsync([Comment(p, id, 2)]);

        Assert.Null(await Store.View.GetAsync(p, id));
        Assert.Empty(await Store.View.ListCommentsAsync("AI", "AI-001", 0, 10));

        // Deleted before any version of it was written here (the rebuild's pass had not reached it yet): the same.
        var (mp, mid) = ViewKeys.Member("AI", "user-1");
        await Store.View.WriteAsync([ViewChange.Delete(mp, mid, 5)]);
        await Store.View.WriteAsync([new ViewChange(new ViewDocument(mp, mid, ViewKeys.MemberKind, 4, """{"userId":"user-1","role":"member"}"""))]);
        Assert.Null(await Store.View.GetAsync(mp, mid));
        Assert.Empty(await Store.View.ListByIdAsync(mp, [ViewKeys.MemberKind], null, 10));

        // A later version is a new life: a member added again.
        await Store.View.WriteAsync([new ViewChange(new ViewDocument(mp, mid, ViewKeys.MemberKind, 6, """{"userId":"user-1","role":"owner"}"""))]);
        Assert.Equal(6, (await Store.View.GetAsync(mp, mid))?.Version);
        Assert.Single(await Store.View.ListByIdAsync(mp, [ViewKeys.MemberKind], null, 10));
    }

    [Fact]
    public async Task A_removed_members_copy_of_the_project_stays_out_of_their_list()
    {
        var (cp, cid) = ViewKeys.Membership("user-1", "AI");
        await Store.View.WriteAsync([new ViewChange(new ViewDocument(cp, cid, ViewKeys.MembershipKind, 2, """{"key":"AI"}"""))]);
        await Store.View.WriteAsync([ViewChange.Delete(cp, cid, 3)]);
        await Store.View.WriteAsync([ViewChange.Delete(cp, cid, 3)]); // redelivered
        await Store.View.WriteAsync([new ViewChange(new ViewDocument(cp, cid, ViewKeys.MembershipKind, 2, """{"key":"AI"}"""))]);

        Assert.Empty(await Store.View.ListByIdAsync(cp, [ViewKeys.MembershipKind], null, 10));
        Assert.Empty(await Store.View.ListByIdAsync(cp, [ViewKeys.MembershipKind, ViewKeys.ProjectKind, ViewKeys.MemberKind], null, 10));
    }

    private static ViewChange Comment(string partition, string id, int version) =>
        new(new ViewDocument(partition, id, ViewKeys.CommentKind, version, $$"""{"id":"CM-1","taskId":"AI-001","number":1,"body":"v{{version}}"}"""));
}
