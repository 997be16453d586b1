using Kanbatte.Domain;

namespace Kanbatte.UnitTests;

/// <summary>Followups are part of the task stream's fold: added open, resolved or reopened by any member, their text changed by their author or an owner.</summary>
public class FollowupDeciderTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-01-01T00:00:00Z");
    private static readonly ProjectState Project = new("AI", "AI", null, null, 1, T0, T0);
    private static readonly UserRef Ann = new("u-ann", "Ann");

    private static TaskStream Fold(params IDomainEvent[] events)
    {
        TaskStream? stream = null;
        var version = 0;
        foreach (var e in events) stream = TaskDecider.EvolveStream(stream, e, ++version, T0.AddMinutes(version));
        return stream!;
    }

    private static IDomainEvent Created => TaskDecider.Create(Project, "AI", 1, new CreateTask("Research", null, null), "r1");

    private static IDomainEvent Added(int number, string body = "come back") =>
        TaskDecider.Followup(Fold(Created).Task, "AI-001", number, new AddFollowup(body), Ann);

    [Fact]
    public void A_followup_starts_open_and_the_fold_keeps_every_one_counting_each_event_in_the_version()
    {
        var stream = Fold(Created, Added(1), Added(2, "second"), new FollowupUpdated("FU-1", Status: FollowupStatuses.Resolved), new FollowupUpdated("FU-2", Body: "second, reworded"));

        Assert.Equal(5, stream.Version);
        Assert.Equal("Research", stream.Task.Title);
        Assert.Equal(new FollowupState("FU-1", "AI-001", 1, "come back", "resolved", "u-ann", "Ann", T0.AddMinutes(2), T0.AddMinutes(4)), stream.Followups["FU-1"]);
        Assert.Equal(("second, reworded", "open"), (stream.Followups["FU-2"].Body, stream.Followups["FU-2"].Status));
        Assert.Empty(stream.Comments);
    }

    [Fact]
    public void Any_member_changes_the_status_only_the_author_or_an_owner_the_text()
    {
        var stream = Fold(Created, Added(1));

        Assert.Equal([new FollowupUpdated("FU-1", Status: "resolved")], TaskDecider.UpdateFollowup(stream, "AI-001", "FU-1", new ChangeFollowup("resolved", null), "u-bob", mayChangeAny: false));
        Assert.Throws<ForbiddenException>(() => TaskDecider.UpdateFollowup(stream, "AI-001", "FU-1", new ChangeFollowup(null, "mine now"), "u-bob", mayChangeAny: false));
        Assert.Equal([new FollowupUpdated("FU-1", Body: "reworded")], TaskDecider.UpdateFollowup(stream, "AI-001", "FU-1", new ChangeFollowup(null, "reworded"), "u-ann", mayChangeAny: false));
        Assert.Equal([new FollowupUpdated("FU-1", Body: "owner's")], TaskDecider.UpdateFollowup(stream, "AI-001", "FU-1", new ChangeFollowup(null, "owner's"), "u-bob", mayChangeAny: true));
    }

    [Fact]
    public void What_is_already_so_changes_nothing_and_an_unknown_one_is_404()
    {
        var stream = Fold(Created, Added(1));
        Assert.Empty(TaskDecider.UpdateFollowup(stream, "AI-001", "FU-1", new ChangeFollowup("open", "come back"), "u-ann", mayChangeAny: false));
        Assert.Throws<NotFoundException>(() => TaskDecider.UpdateFollowup(stream, "AI-001", "FU-9", new ChangeFollowup("resolved", null), "u-ann", mayChangeAny: false));
        Assert.Throws<NotFoundException>(() => TaskDecider.UpdateFollowup(null, "AI-001", "FU-1", new ChangeFollowup("resolved", null), "u-ann", mayChangeAny: false));
    }

    [Theory]
    [InlineData("done", null, "status")]
    [InlineData(null, " ", "body")]
    [InlineData(null, null, "body")]
    public void A_change_is_a_known_status_or_a_visible_text(string? status, string? body, string field)
    {
        var stream = Fold(Created, Added(1));
        var refused = Assert.Throws<ValidationException>(() => TaskDecider.UpdateFollowup(stream, "AI-001", "FU-1", new ChangeFollowup(status, body), "u-ann", mayChangeAny: false));
        Assert.Contains(field, refused.Errors.Keys);
    }

    [Fact]
    public void A_followup_needs_a_visible_text_of_at_most_2000_characters()
    {
        Assert.Throws<ValidationException>(() => TaskDecider.Validate(new AddFollowup(null)));
        Assert.Throws<ValidationException>(() => TaskDecider.Validate(new AddFollowup("\u200B")));
        Assert.Throws<ValidationException>(() => TaskDecider.Validate(new AddFollowup(new string('x', Rules.FollowupBodyMax + 1))));
        TaskDecider.Validate(new AddFollowup(new string('x', Rules.FollowupBodyMax)));
    }
}
