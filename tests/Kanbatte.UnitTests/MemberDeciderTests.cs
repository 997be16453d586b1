using Kanbatte.Domain;

namespace Kanbatte.UnitTests;

/// <summary>Members are part of the project stream's fold: who they are, their roles, and the rules about owners.</summary>
public class MemberDeciderTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-01-01T00:00:00Z");
    private static readonly UserRef Ann = new("auth0|ann", "Ann");

    private static ProjectStream Fold(params IDomainEvent[] events)
    {
        ProjectStream? stream = null;
        var version = 0;
        foreach (var e in events) stream = ProjectDecider.EvolveStream(stream, e, ++version, T0.AddMinutes(version));
        return stream!;
    }

    private static IDomainEvent Created(UserRef? owner) => new ProjectCreated("AI", "AI research", null, null, owner);

    [Fact]
    public void The_creator_is_the_first_owner_and_member_events_count_in_the_version()
    {
        var stream = Fold(Created(Ann), new MemberAdded("a/b", "Bo", ProjectRoles.Viewer), new MemberRoleChanged("a/b", ProjectRoles.Member), new MemberAdded("c#d", "Cy", ProjectRoles.Owner), new MemberRemoved("c#d"));

        Assert.Equal(5, stream.Version);
        Assert.Equal(new Member("auth0|ann", "Ann", ProjectRoles.Owner, T0.AddMinutes(1)), stream.Members["auth0|ann"]);
        Assert.Equal(new Member("a/b", "Bo", ProjectRoles.Member, T0.AddMinutes(2)), stream.Members["a/b"]);
        Assert.Equal(2, stream.Members.Count);
        Assert.True(stream.HasOwner);
        // The project's own fields are untouched by member events; only its version moves on.
        Assert.Equal(("AI research", T0.AddMinutes(1)), (stream.Project.Name, stream.Project.UpdatedAt));
    }

    [Fact]
    public void A_project_from_before_users_has_no_members_and_gets_an_owner_first()
    {
        var stream = Fold(Created(owner: null));
        Assert.Empty(stream.Members);
        Assert.False(stream.HasOwner);
        Assert.Throws<ConflictException>(() => ProjectDecider.SetMember(stream, "AI", "u1", ProjectRoles.Member, null));
        Assert.Equal([new MemberAdded("u1", "u1", ProjectRoles.Owner)], ProjectDecider.SetMember(stream, "AI", "u1", ProjectRoles.Owner, null));
    }

    [Fact]
    public void Adding_changing_and_keeping_a_role()
    {
        var stream = Fold(Created(Ann), new MemberAdded("bo", "Bo", ProjectRoles.Viewer));
        Assert.Equal([new MemberAdded("cy", "Cy", ProjectRoles.Member)], ProjectDecider.SetMember(stream, "AI", "cy", ProjectRoles.Member, "Cy"));
        Assert.Equal([new MemberRoleChanged("bo", ProjectRoles.Owner)], ProjectDecider.SetMember(stream, "AI", "bo", ProjectRoles.Owner, null));
        Assert.Empty(ProjectDecider.SetMember(stream, "AI", "bo", ProjectRoles.Viewer, "Another name"));
    }

    [Fact]
    public void The_last_owner_can_be_neither_demoted_nor_removed()
    {
        var stream = Fold(Created(Ann), new MemberAdded("bo", "Bo", ProjectRoles.Member));
        Assert.Throws<ConflictException>(() => ProjectDecider.SetMember(stream, "AI", Ann.Id, ProjectRoles.Member, null));
        Assert.Throws<ConflictException>(() => ProjectDecider.RemoveMember(stream, "AI", Ann.Id));

        var two = Fold(Created(Ann), new MemberAdded("bo", "Bo", ProjectRoles.Owner));
        Assert.Equal([new MemberRoleChanged(Ann.Id, ProjectRoles.Viewer)], ProjectDecider.SetMember(two, "AI", Ann.Id, ProjectRoles.Viewer, null));
        Assert.Equal([new MemberRemoved(Ann.Id)], ProjectDecider.RemoveMember(two, "AI", Ann.Id));
    }

    [Fact]
    public void Removing_someone_who_is_not_a_member_is_not_found() =>
        Assert.Equal("Member", Assert.Throws<NotFoundException>(() => ProjectDecider.RemoveMember(Fold(Created(Ann)), "AI", "nobody")).Entity);

    [Theory]
    [InlineData(null, "role")]
    [InlineData("admin", "role")]
    [InlineData("Owner", "role")]
    public void A_role_is_one_of_the_three(string? role, string field) =>
        ProjectRulesTests.AssertViolation(() => ProjectDecider.SetMember(Fold(Created(Ann)), "AI", "bo", role, null), field, "");

    [Fact]
    public void User_ids_are_opaque_up_to_256_characters()
    {
        var stream = Fold(Created(Ann));
        foreach (var id in new[] { "auth0|abc", "a/b", "a#b", "a?b=c&d", "ü ñ 😀", new string('x', 256) })
            Assert.Single(ProjectDecider.SetMember(stream, "AI", id, ProjectRoles.Viewer, null));
        ProjectRulesTests.AssertViolation(() => ProjectDecider.SetMember(stream, "AI", new string('x', 257), ProjectRoles.Viewer, null), "userId", "1-256");
        ProjectRulesTests.AssertViolation(() => ProjectDecider.SetMember(stream, "AI", "a\u0001b", ProjectRoles.Viewer, null), "userId", "1-256");
    }

    [Theory]
    [InlineData(ProjectRoles.Owner, ProjectRoles.Owner, true)]
    [InlineData(ProjectRoles.Owner, ProjectRoles.Viewer, true)]
    [InlineData(ProjectRoles.Member, ProjectRoles.Member, true)]
    [InlineData(ProjectRoles.Member, ProjectRoles.Owner, false)]
    [InlineData(ProjectRoles.Viewer, ProjectRoles.Member, false)]
    [InlineData(ProjectRoles.Viewer, ProjectRoles.Viewer, true)]
    public void Each_role_includes_those_below_it(string held, string required, bool allowed) =>
        Assert.Equal(allowed, ProjectRoles.Includes(held, required));
}
