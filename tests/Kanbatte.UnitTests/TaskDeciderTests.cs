using Kanbatte.Domain;

namespace Kanbatte.UnitTests;

/// <summary>What TaskDecider decides for a move, an archive and a restore: the events and their fields, or nothing.</summary>
public class TaskDeciderTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-01-01T00:00:00Z");
    private static readonly ProjectState Project = ProjectDecider.Evolve(null, new ProjectCreated("AI", "AI", null, null), 1, T0)!;

    /// <summary>AI-001 in <paramref name="status"/> at rank "m", as its stream leaves it (version 1, or 2 once archived).</summary>
    private static TaskState Existing(string status = Statuses.Todo, bool archived = false)
    {
        var task = TaskDecider.Evolve(null, TaskDecider.Create(Project, "AI", 1, new CreateTask("Research", null, status), "m"), 1, T0)!;
        return archived ? TaskDecider.Evolve(task, new TaskArchived(), 2, T0.AddMinutes(1))! : task;
    }

    [Fact]
    public void Move_to_another_column_carries_the_new_status_and_rank() =>
        Assert.Equal([new TaskMoved(Statuses.Review, "k")], TaskDecider.Move(Existing(), "AI-001", Statuses.Review, "k"));

    [Fact]
    public void Move_to_another_column_at_the_same_rank_is_still_a_move() =>
        Assert.Equal([new TaskMoved(Statuses.Done, "m")], TaskDecider.Move(Existing(), "AI-001", Statuses.Done, "m"));

    [Theory]
    [InlineData(null)]
    [InlineData(Statuses.Todo)] // the column it is in: not a change of status
    public void Move_within_its_column_carries_only_the_rank(string? status) =>
        Assert.Equal([new TaskMoved(null, "k")], TaskDecider.Move(Existing(), "AI-001", status, "k"));

    [Theory]
    [InlineData(null)]
    [InlineData(Statuses.Todo)]
    public void Move_to_where_the_task_already_is_decides_nothing(string? status) =>
        Assert.Empty(TaskDecider.Move(Existing(), "AI-001", status, "m"));

    [Fact]
    public void Move_of_a_missing_task_is_not_found()
    {
        var e = Assert.Throws<NotFoundException>(() => TaskDecider.Move(null, "AI-001", Statuses.Done, "k"));
        Assert.Equal(("Task", "AI-001"), (e.Entity, e.Id));
    }

    [Theory]
    [InlineData("doing")]
    [InlineData("DONE")]
    [InlineData("")]
    public void Move_to_an_unknown_status_is_refused_before_the_task_is_looked_at(string status)
    {
        ProjectRulesTests.AssertViolation(() => TaskDecider.Move(Existing(), "AI-001", status, "k"), "status", "must be one of");
        ProjectRulesTests.AssertViolation(() => TaskDecider.Move(null, "AI-001", status, "k"), "status", "must be one of");
    }

    [Fact]
    public void A_move_folds_into_the_status_and_rank_and_keeps_the_rest()
    {
        var moved = TaskDecider.Evolve(Existing(), Assert.Single(TaskDecider.Move(Existing(), "AI-001", Statuses.Review, "k")), 2, T0.AddMinutes(5))!;
        Assert.Equal((Statuses.Review, "k", "Research", 2, T0, T0.AddMinutes(5)), (moved.Status, moved.Rank, moved.Title, moved.Version, moved.CreatedAt, moved.UpdatedAt));

        var withinColumn = TaskDecider.Evolve(Existing(), Assert.Single(TaskDecider.Move(Existing(), "AI-001", null, "k")), 2, T0)!;
        Assert.Equal((Statuses.Todo, "k"), (withinColumn.Status, withinColumn.Rank));
    }

    [Fact]
    public void Archive_of_an_active_task_is_task_archived() =>
        Assert.Equal([new TaskArchived()], TaskDecider.Archive(Existing(), "AI-001"));

    [Fact]
    public void Archive_of_an_archived_task_decides_nothing() =>
        Assert.Empty(TaskDecider.Archive(Existing(archived: true), "AI-001"));

    [Fact]
    public void Restore_of_an_archived_task_is_task_restored() =>
        Assert.Equal([new TaskRestored()], TaskDecider.Restore(Existing(archived: true), "AI-001"));

    [Fact]
    public void Restore_of_an_active_task_decides_nothing() =>
        Assert.Empty(TaskDecider.Restore(Existing(), "AI-001"));

    [Fact]
    public void Archive_and_restore_of_a_missing_task_are_not_found()
    {
        var archive = Assert.Throws<NotFoundException>(() => TaskDecider.Archive(null, "AI-404"));
        var restore = Assert.Throws<NotFoundException>(() => TaskDecider.Restore(null, "AI-404"));
        Assert.Equal([("Task", "AI-404"), ("Task", "AI-404")], [(archive.Entity, archive.Id), (restore.Entity, restore.Id)]);
    }

    [Fact]
    public void Archive_then_restore_folds_back_to_an_active_task_with_its_fields()
    {
        var archived = TaskDecider.Evolve(Existing(Statuses.Review), Assert.Single(TaskDecider.Archive(Existing(Statuses.Review), "AI-001")), 2, T0.AddMinutes(1))!;
        Assert.Equal((true, 2, T0.AddMinutes(1)), (archived.Archived, archived.Version, archived.UpdatedAt));

        var restored = TaskDecider.Evolve(archived, Assert.Single(TaskDecider.Restore(archived, "AI-001")), 3, T0.AddMinutes(2))!;
        Assert.Equal((false, 3, Statuses.Review, "m", "Research"), (restored.Archived, restored.Version, restored.Status, restored.Rank, restored.Title));
    }
}
