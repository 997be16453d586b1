using System.Text.Json;
using Kanbatte.Application;
using Kanbatte.Domain;

namespace Kanbatte.UnitTests;

/// <summary>Events keep their schema version; old shapes are upcast on reading, so a log mixing them folds as one.</summary>
public class UpcastingTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-02-01T09:00:00.000Z");

    /// <summary>task_created as the first release wrote it (schema 1): no priority, assignee, labels, due date or rank.</summary>
    private static EventEnvelope V1Created(string id, int number, DateTimeOffset at) =>
        new($"task:{id}", 1, EventTypes.TaskCreated, 1,
            JsonSerializer.SerializeToElement(new { id, projectKey = "AI", number, title = $"Old {number}", description = "", status = "todo" }),
            at, new EventMetadata("old"));

    [Fact]
    public void New_events_are_written_at_their_current_schema_version()
    {
        var created = EventCodec.Encode("task:AI-001", 1, new TaskCreated("AI-001", "AI", 1, "t", "", "todo", "none", null, [], null, "r"), T0, new EventMetadata("c"));
        Assert.Equal(2, created.SchemaVersion);
        var updated = EventCodec.Encode("task:AI-001", 2, new TaskUpdated(Title: "u"), T0, new EventMetadata("c"));
        Assert.Equal(1, updated.SchemaVersion);
    }

    [Fact]
    public void A_schema_1_task_created_is_upcast_with_the_defaults_of_a_new_task()
    {
        var e = (TaskCreated)EventCodec.Decode(V1Created("AI-001", 1, T0));
        Assert.Equal(("Old 1", Priorities.None, null as string, 0, null as DateOnly?, Ranks.Bottom(T0)),
            (e.Title, e.Priority, e.Assignee, e.Labels.Count, e.DueDate, e.Rank));
    }

    [Fact]
    public void A_log_mixing_old_and_new_shapes_folds_like_one_written_today()
    {
        var meta = new EventMetadata("new");
        var old = new[]
        {
            V1Created("AI-001", 1, T0),
            EventCodec.Encode("task:AI-001", 2, new TaskUpdated(Status: "done", Labels: ["legacy"]), T0.AddMinutes(1), meta),
        };
        var fresh = new[]
        {
            EventCodec.Encode("task:AI-001", 1, new TaskCreated("AI-001", "AI", 1, "Old 1", "", "todo", "none", null, [], null, Ranks.Bottom(T0)), T0, meta),
            old[1],
        };

        var fromOld = EventCodec.FoldTask(old)!;
        var fromNew = EventCodec.FoldTask(fresh)!;

        Assert.Equal(KanbatteJson.Serialize(fromNew), KanbatteJson.Serialize(fromOld));
        Assert.Equal(("done", 2, "legacy"), (fromOld.Status, fromOld.Version, fromOld.Labels.Single()));

        // Old tasks keep their creation order among new ones: ranks come from the time they were created.
        var later = EventCodec.FoldTask([EventCodec.Encode("task:AI-002", 1,
            new TaskCreated("AI-002", "AI", 2, "New", "", "done", "none", null, [], null, Ranks.Bottom(T0.AddHours(1))), T0.AddHours(1), meta)])!;
        Assert.True(string.CompareOrdinal(fromOld.Rank, later.Rank) < 0);
    }

    [Fact]
    public void An_event_newer_than_the_code_is_refused_not_misread()
    {
        var future = V1Created("AI-001", 1, T0) with { SchemaVersion = 3 };
        Assert.Throws<InvalidOperationException>(() => EventCodec.Decode(future));
    }
}
