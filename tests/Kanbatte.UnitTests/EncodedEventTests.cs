using System.Text.Json;
using Kanbatte.Application;
using Kanbatte.Domain;

namespace Kanbatte.UnitTests;

/// <summary>
/// A write folds and projects the events it just encoded from the domain events themselves, not from their JSON
/// (<see cref="EventEnvelope.Decoded"/>); a rebuild folds the JSON. The two must agree for every event type, or the view
/// a write leaves would differ from the one a rebuild makes.
/// </summary>
public class EncodedEventTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-02-01T09:00:00.123Z");

    /// <summary>Every event type, with its optional fields both set and left out, lists empty and not, text beyond ASCII.</summary>
    private static readonly IDomainEvent[] All =
    [
        new ProjectCreated("AI", "Agents ünd tools", null, null),
        new ProjectCreated("AI", "Agents", "What \"agents\" do\nall day", "https://example.test/ai", new UserRef("u1", "Ann 🙂")),
        new ProjectUpdated(Name: "Renamed"),
        new ProjectUpdated(Description: "", Cleared: ["repository"]),
        new ProjectUpdated(Cleared: []),
        new TaskCreated("AI-001", "AI", 1, "Title", "", "todo", "none", null, [], null, "0|hzzzzz:"),
        new TaskCreated("AI-002", "AI", 2, "Títle 🙂", "Line 1\r\nLine 2\t<b>&amp;</b>", "doing", "high", "u1", ["bug", "ux"], new DateOnly(2026, 12, 31), "0|i00000:"),
        new TaskUpdated(Title: "New"),
        new TaskUpdated(Assignee: "u2", Labels: [], DueDate: new DateOnly(2027, 1, 1), Priority: "low", Status: "done", Description: "d", Rank: "0|i0000a:"),
        new TaskUpdated(Cleared: ["assignee", "dueDate"]),
        new TaskMoved(null, "0|i0000b:"),
        new TaskMoved("review", "0|i0000c:"),
        new TaskArchived(),
        new TaskRestored(),
        new CommentAdded("c1", 1, "A comment\nwith lines", "Ann", "u1"),
        new CommentAdded("c2", 2, "Legacy author", null),
        new CommentEdited("c1", "Edited ✓"),
        new CommentDeleted("c1"),
        new MemberAdded("u2", "Bob", ProjectRoles.Member),
        new MemberRoleChanged("u2", ProjectRoles.Owner),
        new MemberRemoved("u2"),
        new FollowupAdded("f1", 1, "Check the logs", "u1", "Ann"),
        new FollowupUpdated("f1", Status: "done"),
        new FollowupUpdated("f1", Body: "Check the logs again"),
    ];

    public static TheoryData<IDomainEvent> Events() => new(All);

    [Theory]
    [MemberData(nameof(Events))]
    public void An_event_decoded_from_its_json_is_the_event_it_was_encoded_from(IDomainEvent e)
    {
        var encoded = EventCodec.Encode("task:AI-001", 1, e, T0, new EventMetadata("c"));
        Assert.Same(e, EventCodec.Decode(encoded));

        var fromJson = EventCodec.Decode(encoded with { Decoded = null });
        Assert.Equal(e.GetType(), fromJson.GetType());
        // Records compare lists by reference, so they are compared by every property's value as JSON would carry it.
        foreach (var property in e.GetType().GetProperties())
            Assert.Equal(JsonSerializer.Serialize(property.GetValue(e)), JsonSerializer.Serialize(property.GetValue(fromJson)));
    }

    [Fact]
    public void Every_event_type_is_covered()
    {
        var covered = All.Select(e => e.GetType()).ToHashSet();
        var all = typeof(IDomainEvent).Assembly.GetTypes().Where(t => t.IsClass && typeof(IDomainEvent).IsAssignableFrom(t));
        Assert.Empty(all.Where(t => !covered.Contains(t)).Select(t => t.Name));
    }

    [Fact]
    public void An_envelope_changed_to_an_older_schema_is_decoded_from_its_json_and_upcast()
    {
        var encoded = EventCodec.Encode("task:AI-001", 1, new TaskCreated("AI-001", "AI", 1, "t", "", "todo", "high", null, [], null, "r"), T0, new EventMetadata("c"));
        var old = encoded with
        {
            SchemaVersion = 1,
            Data = JsonSerializer.SerializeToElement(new { id = "AI-001", projectKey = "AI", number = 1, title = "t", description = "", status = "todo" }),
        };
        Assert.Equal(Priorities.None, ((TaskCreated)EventCodec.Decode(old)).Priority);
    }
}
