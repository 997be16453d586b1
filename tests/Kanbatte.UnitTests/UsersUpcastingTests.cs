using System.Text.Json;
using Kanbatte.Application;
using Kanbatte.Domain;

namespace Kanbatte.UnitTests;

/// <summary>Logs written before users existed fold beside newer events: projects without members, comments without author ids.</summary>
public class UsersUpcastingTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-02-01T09:00:00.000Z");
    private static readonly EventMetadata Old = new("old");

    [Fact]
    public void A_schema_1_project_created_is_a_project_without_members_and_gets_its_first_owner_later()
    {
        var v1 = new EventEnvelope("project:AI", 1, EventTypes.ProjectCreated, 1,
            JsonSerializer.SerializeToElement(new { key = "AI", name = "Old project", description = (string?)null, repository = (string?)null }), T0, Old);
        var owner = EventCodec.Encode("project:AI", 2, new MemberAdded("u1", "Ann", ProjectRoles.Owner), T0.AddDays(1), new EventMetadata("new", Actor: new Actor("op", "Operator")));

        var before = StreamFolds.Project.Fold([v1])!;
        Assert.Equal(("Old project", 1, 0, false), (before.Project.Name, before.Version, before.Members.Count, before.HasOwner));
        var after = StreamFolds.Project.Fold([owner], before)!;
        Assert.Equal((2, ProjectRoles.Owner, true), (after.Version, after.RoleOf("u1"), after.HasOwner));

        Assert.Equal(2, EventCodec.Encode("project:AI", 1, new ProjectCreated("AI", "n", null, null, new UserRef("u1", "Ann")), T0, Old).SchemaVersion);
    }

    [Fact]
    public void A_schema_1_comment_keeps_its_text_author_with_no_author_id_beside_newer_comments()
    {
        var created = EventCodec.Encode("task:AI-001", 1, new TaskCreated("AI-001", "AI", 1, "t", "", "todo", "none", null, [], null, "r"), T0, Old);
        var v1 = new EventEnvelope("task:AI-001", 2, EventTypes.CommentAdded, 1,
            JsonSerializer.SerializeToElement(new { commentId = "CM-1", number = 1, body = "old", author = "whoever typed it" }), T0.AddMinutes(1), Old);
        var v2 = EventCodec.Encode("task:AI-001", 3, new CommentAdded("CM-2", 2, "new", "Ann", "auth0|ann"), T0.AddMinutes(2), new EventMetadata("new", Actor: new Actor("auth0|ann", "Ann")));

        var stream = StreamFolds.Task.Fold([created, v1, v2])!;

        Assert.Equal(new CommentState("CM-1", "AI-001", 1, "old", null, "whoever typed it", T0.AddMinutes(1), null), stream.Comments["CM-1"]);
        Assert.Equal(new CommentState("CM-2", "AI-001", 2, "new", "auth0|ann", "Ann", T0.AddMinutes(2), null), stream.Comments["CM-2"]);
        Assert.Equal(2, v2.SchemaVersion);
        // An old comment has no author id: only owners may change it.
        Assert.Throws<ForbiddenException>(() => TaskDecider.EditComment(stream, "AI-001", "CM-1", "mine", "whoever typed it", mayChangeAny: false));
    }

    [Fact]
    public void Every_event_records_its_actor_and_older_ones_have_none()
    {
        var withActor = EventCodec.Encode("project:AI", 1, new ProjectCreated("AI", "n", null, null), T0, new EventMetadata("c", Actor: new Actor("a/b", "Bo")));
        Assert.Equal("""{"correlationId":"c","causationId":null,"actor":{"id":"a/b","name":"Bo"}}""", JsonSerializer.Serialize(withActor.Metadata, KanbatteJson.Options));
        var older = JsonSerializer.Deserialize<EventMetadata>("""{"correlationId":"old","causationId":null}""", KanbatteJson.Options)!;
        Assert.Null(older.Actor);
    }
}
