using Kanbatte.Domain;

namespace Kanbatte.UnitTests;

/// <summary>Comments are part of the task stream's fold: adding, editing and deleting them, and deciding on that state.</summary>
public class CommentDeciderTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-01-01T00:00:00Z");
    private static readonly ProjectState Project = new("AI", "AI", null, null, 1, T0, T0);

    private static TaskStream Fold(params IDomainEvent[] events)
    {
        TaskStream? stream = null;
        var version = 0;
        foreach (var e in events) stream = TaskDecider.EvolveStream(stream, e, ++version, T0.AddMinutes(version));
        return stream!;
    }

    private static IDomainEvent Created => TaskDecider.Create(Project, "AI", 1, new CreateTask("Research", null, null), "r1");

    [Fact]
    public void The_fold_keeps_live_comments_and_counts_every_event_in_the_version()
    {
        var stream = Fold(Created,
            new CommentAdded("CM-1", 1, "first", "Ann", "u-ann"),
            new CommentAdded("CM-2", 2, "second", "Bob", "u-bob"),
            new CommentEdited("CM-1", "first, edited"),
            new CommentDeleted("CM-2"),
            new TaskUpdated(Title: "Renamed"));

        Assert.Equal(6, stream.Version);
        Assert.Equal(6, stream.Task.Version);
        Assert.Equal("Renamed", stream.Task.Title);
        var comment = Assert.Single(stream.Comments.Values);
        Assert.Equal(new CommentState("CM-1", "AI-001", 1, "first, edited", "u-ann", "Ann", T0.AddMinutes(2), T0.AddMinutes(4)), comment);
    }

    [Fact]
    public void The_fold_of_the_task_alone_is_the_task_the_stream_holds()
    {
        IDomainEvent[] events = [Created, new CommentAdded("CM-1", 1, "hi", null), new TaskMoved(Statuses.Done, "r2"), new CommentDeleted("CM-1")];
        TaskState? task = null;
        for (var i = 0; i < events.Length; i++) task = TaskDecider.Evolve(task, events[i], i + 1, T0.AddMinutes(i + 1));
        Assert.Equal(task, Fold(events).Task);
    }

    [Fact]
    public void Comment_events_before_the_task_exists_fold_to_nothing() =>
        Assert.Null(TaskDecider.EvolveStream(null, new CommentAdded("CM-1", 1, "orphan", null), 1, T0));

    [Fact]
    public void Editing_a_comment_records_only_a_changed_body()
    {
        var stream = Fold(Created, new CommentAdded("CM-1", 1, "first", "Ann", "u-ann"));
        Assert.Equal([new CommentEdited("CM-1", "better")], TaskDecider.EditComment(stream, "AI-001", "CM-1", "better", "u-ann", mayChangeAny: false));
        Assert.Empty(TaskDecider.EditComment(stream, "AI-001", "CM-1", "first", "u-ann", mayChangeAny: false));
    }

    [Fact]
    public void Editing_checks_the_comment_and_the_caller_before_the_body()
    {
        var stream = Fold(Created, new CommentAdded("CM-1", 1, "first", "Ann", "u-ann"));
        ProjectRulesTests.AssertViolation(() => TaskDecider.EditComment(stream, "AI-001", "CM-1", " ", "u-ann", mayChangeAny: false), "body", "must not be blank.");
        // 404 and 403 come before what is wrong with the body.
        Assert.Throws<NotFoundException>(() => TaskDecider.EditComment(stream, "AI-001", "CM-9", null, "u-ann", mayChangeAny: false));
        Assert.Throws<ForbiddenException>(() => TaskDecider.EditComment(stream, "AI-001", "CM-1", null, "u-bob", mayChangeAny: false));
    }

    [Fact]
    public void Only_the_author_or_an_owner_may_change_a_comment()
    {
        // CM-2 is from before users existed: no author id, so only owners may change it.
        var stream = Fold(Created, new CommentAdded("CM-1", 1, "first", "Ann", "u-ann"), new CommentAdded("CM-2", 2, "old", "someone"));
        Assert.Throws<ForbiddenException>(() => TaskDecider.EditComment(stream, "AI-001", "CM-1", "mine now", "u-bob", mayChangeAny: false));
        Assert.Throws<ForbiddenException>(() => TaskDecider.DeleteComment(stream, "AI-001", "CM-1", "u-bob", mayChangeAny: false));
        Assert.Throws<ForbiddenException>(() => TaskDecider.DeleteComment(stream, "AI-001", "CM-2", "u-ann", mayChangeAny: false));
        Assert.Equal([new CommentEdited("CM-1", "tidied")], TaskDecider.EditComment(stream, "AI-001", "CM-1", "tidied", "u-owner", mayChangeAny: true));
        Assert.Equal([new CommentDeleted("CM-2")], TaskDecider.DeleteComment(stream, "AI-001", "CM-2", "u-owner", mayChangeAny: true));
        Assert.Equal([new CommentDeleted("CM-1")], TaskDecider.DeleteComment(stream, "AI-001", "CM-1", "u-ann", mayChangeAny: false));
    }

    [Fact]
    public void A_missing_task_or_comment_is_not_found_for_edits_and_deletes()
    {
        var stream = Fold(Created, new CommentAdded("CM-1", 1, "first", "Ann", "u-ann"), new CommentDeleted("CM-1"));

        Assert.Equal("Task", Assert.Throws<NotFoundException>(() => TaskDecider.EditComment(null, "AI-001", "CM-1", "x", "u", true)).Entity);
        Assert.Equal("Task", Assert.Throws<NotFoundException>(() => TaskDecider.DeleteComment(null, "AI-001", "CM-1", "u", true)).Entity);
        // Never added, and deleted: both gone from the fold.
        Assert.Equal("CM-2", Assert.Throws<NotFoundException>(() => TaskDecider.EditComment(stream, "AI-001", "CM-2", "x", "u", true)).Id);
        Assert.Equal("CM-1", Assert.Throws<NotFoundException>(() => TaskDecider.EditComment(stream, "AI-001", "CM-1", "x", "u", true)).Id);
        Assert.Equal("CM-1", Assert.Throws<NotFoundException>(() => TaskDecider.DeleteComment(stream, "AI-001", "CM-1", "u", true)).Id);
    }

    [Fact]
    public void Deleting_a_live_comment_records_its_deletion()
    {
        var stream = Fold(Created, new CommentAdded("CM-1", 1, "first", "Ann", "u-ann"), new CommentAdded("CM-2", 2, "second", "Bob", "u-bob"));
        Assert.Equal([new CommentDeleted("CM-2")], TaskDecider.DeleteComment(stream, "AI-001", "CM-2", "u", true));
        Assert.Equal(["CM-1"], TaskDecider.EvolveStream(stream, new CommentDeleted("CM-2"), 4, T0)!.Comments.Keys);
    }
}
