using Kanbatte.Application;
using Kanbatte.Domain;

namespace Kanbatte.UnitTests;

public class TaskRulesTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-01-01T00:00:00Z");
    private static readonly ProjectState Project = new("AI", "AI", null, null, 1, T0, T0);

    private static TaskState Created(string status = Statuses.Todo) =>
        TaskDecider.Evolve(null, TaskDecider.Create(Project, "AI", 1, new CreateTask("Research ML models", null, status), "r1"), 1, T0)!;

    [Fact]
    public void Create_numbers_the_task_and_defaults_to_todo()
    {
        var e = (TaskCreated)TaskDecider.Create(Project, "AI", 7, new CreateTask("Research", null, null), "r7");
        Assert.Equal(("AI-007", "AI", 7, "Research", "", Statuses.Todo, Priorities.None, "r7"), (e.Id, e.ProjectKey, e.Number, e.Title, e.Description, e.Status, e.Priority, e.Rank));
        Assert.Empty(e.Labels!);
    }

    [Theory]
    [InlineData(1, "AI-001")]
    [InlineData(42, "AI-042")]
    [InlineData(999, "AI-999")]
    [InlineData(1000, "AI-1000")]
    [InlineData(123456, "AI-123456")]
    public void Task_ids_are_zero_padded_to_three_digits(int number, string id)
    {
        Assert.Equal(id, TaskId.Format("AI", number));
        Assert.True(TaskId.TryParse(id, out var key, out var parsed));
        Assert.Equal(("AI", number), (key, parsed));
    }

    [Theory]
    [InlineData("AI-1")]
    [InlineData("AI-01")]
    [InlineData("AI-0001")]
    [InlineData("AI-000")]
    [InlineData("ai-001")]
    [InlineData("AI001")]
    [InlineData("A-001")]
    [InlineData("")]
    [InlineData("AI-99999999999")]
    public void Only_canonical_task_ids_parse(string id) => Assert.False(TaskId.TryParse(id, out _, out _));

    [Fact]
    public void Create_in_a_missing_project_is_not_found() =>
        Assert.Throws<NotFoundException>(() => TaskDecider.Create(null, "ZZ", 1, new CreateTask("t", null, null), "r"));

    [Theory]
    [InlineData(null, "is required.")]
    [InlineData("", "must not be blank.")]
    [InlineData("\t", "must not be blank.")]
    [InlineData("line\nbreak", "control characters")]
    public void Rejects_invalid_titles(string? title, string message) =>
        ProjectRulesTests.AssertViolation(() => TaskDecider.Validate(new CreateTask(title, null, null)), "title", message);

    [Fact]
    public void Title_is_limited_to_200_and_description_to_20000_characters()
    {
        TaskDecider.Validate(new CreateTask(new string('t', 200), new string('d', 20_000), null));
        ProjectRulesTests.AssertViolation(() => TaskDecider.Validate(new CreateTask(new string('t', 201), null, null)), "title", "at most 200");
        ProjectRulesTests.AssertViolation(() => TaskDecider.Validate(new CreateTask("t", new string('d', 20_001), null)), "description", "at most 20000");
    }

    [Fact]
    public void Description_may_hold_line_breaks_but_not_other_control_characters()
    {
        TaskDecider.Validate(new CreateTask("t", "a\nb\r\n\tc", null));
        ProjectRulesTests.AssertViolation(() => TaskDecider.Validate(new CreateTask("t", "a\0b", null)), "description", "control characters");
    }

    [Theory]
    [InlineData("todo")]
    [InlineData("ready")]
    [InlineData("in_progress")]
    [InlineData("review")]
    [InlineData("done")]
    public void Accepts_every_workflow_status(string status) => TaskDecider.Validate(new CreateTask("t", null, status));

    [Theory]
    [InlineData("doing")]
    [InlineData("TODO")]
    [InlineData("in progress")]
    [InlineData("")]
    public void Rejects_unknown_statuses(string status)
    {
        ProjectRulesTests.AssertViolation(() => TaskDecider.Validate(new CreateTask("t", null, status)), "status", "must be one of");
        ProjectRulesTests.AssertViolation(() => TaskDecider.Validate(new ChangeTask(null, null, status)), "status", "must be one of");
    }

    [Fact]
    public void Change_carries_only_the_fields_that_changed()
    {
        var events = TaskDecider.Change(Created(), "AI-001", new ChangeTask("Research ML models", "new", Statuses.InProgress));
        Assert.Equal([new TaskUpdated(null, "new", Statuses.InProgress)], events);
    }

    [Fact]
    public void Change_that_changes_nothing_decides_nothing()
    {
        Assert.Empty(TaskDecider.Change(Created(), "AI-001", new ChangeTask("Research ML models", "", Statuses.Todo)));
        Assert.Empty(TaskDecider.Change(Created(), "AI-001", new ChangeTask(null, null, null)));
    }

    [Fact]
    public void Change_of_a_missing_task_is_not_found() =>
        Assert.Throws<NotFoundException>(() => TaskDecider.Change(null, "AI-001", new ChangeTask("x", null, null)));

    [Fact]
    public void Comment_rules()
    {
        TaskDecider.Validate(new AddComment(new string('b', 10_000)));
        ProjectRulesTests.AssertViolation(() => TaskDecider.Validate(new AddComment(null)), "body", "is required.");
        ProjectRulesTests.AssertViolation(() => TaskDecider.Validate(new AddComment(" ")), "body", "must not be blank.");
        ProjectRulesTests.AssertViolation(() => TaskDecider.Validate(new AddComment(new string('b', 10_001))), "body", "at most 10000");
        Assert.Throws<NotFoundException>(() => TaskDecider.Comment(null, "AI-001", 1, new AddComment("b"), new UserRef("u1", "Me")));
        // The author is the caller, by id and name: no longer text the client sends.
        Assert.Equal(new CommentAdded("CM-3", 3, "b", "Me", "u1"), TaskDecider.Comment(Created(), "AI-001", 3, new AddComment("b"), new UserRef("u1", "Me")));
    }

    [Fact]
    public void Fold_applies_changes_and_comments_advance_only_the_version()
    {
        var t1 = T0.AddMinutes(1);
        var t2 = T0.AddMinutes(2);
        var state = TaskDecider.Evolve(Created(), new TaskUpdated(Status: Statuses.Review, Title: "Renamed"), 2, t1);
        state = TaskDecider.Evolve(state, new CommentAdded("CM-1", 1, "hi", null), 3, t2);
        Assert.Equal(("AI-001", "Renamed", Statuses.Review, 3, T0, t1), (state!.Id, state.Title, state.Status, state.Version, state.CreatedAt, state.UpdatedAt));
    }

    [Fact]
    public void Events_round_trip_through_the_codec()
    {
        IDomainEvent[] events =
        [
            new ProjectCreated("AI", "n", null, "https://x.io"),
            new TaskCreated("AI-001", "AI", 1, "t", "", "todo", "high", "bob", ["x"], new DateOnly(2026, 12, 24), "r1"),
            new TaskUpdated(Status: "done"),
            new CommentAdded("CM-1", 1, "b", null),
        ];
        foreach (var e in events)
        {
            var envelope = EventCodec.Encode("task:AI-001", 1, e, T0, new EventMetadata("c"));
            Assert.Equal(KanbatteJson.Serialize((object)e), KanbatteJson.Serialize((object)EventCodec.Decode(envelope)));
        }
        var updated = EventCodec.Encode("task:AI-001", 2, new TaskUpdated(Status: "done"), T0, new EventMetadata("c"));
        Assert.Equal("task_updated", updated.Type);
        Assert.Equal("""{"status":"done"}""", updated.Data.GetRawText());
    }

    [Fact]
    public void Recorded_times_keep_millisecond_precision_in_utc()
    {
        var at = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)).AddTicks(1_234_567);
        var envelope = EventCodec.Encode("project:AI", 1, new ProjectCreated("AI", "n", null, null), at, new EventMetadata("c"));
        Assert.Equal(TimeSpan.Zero, envelope.RecordedAt.Offset);
        Assert.Equal(0, envelope.RecordedAt.Ticks % TimeSpan.TicksPerMillisecond);
        Assert.Equal("2026-01-02T01:04:05.123Z", KanbatteJson.Format(envelope.RecordedAt));
    }
}
