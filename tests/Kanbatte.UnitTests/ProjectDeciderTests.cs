using Kanbatte.Application;
using Kanbatte.Domain;

namespace Kanbatte.UnitTests;

/// <summary>What ProjectDecider.Change decides: one project_updated holding exactly what changes, or nothing.</summary>
public class ProjectDeciderTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-01-01T00:00:00Z");

    private static ProjectState Project(string? description = "About AI", string? repository = "https://github.com/org/ai") =>
        ProjectDecider.Evolve(null, new ProjectCreated("AI", "AI research", description, repository), 1, T0)!;

    private static HashSet<string> Clear(params string[] fields) => [.. fields];

    /// <summary>Events compared by type and wire shape (records compare lists by reference, <c>Cleared</c> is a list).</summary>
    private static void AssertDecided(IReadOnlyList<IDomainEvent> expected, IReadOnlyList<IDomainEvent> actual) =>
        Assert.Equal(expected.Select(e => (EventTypes.NameOf(e), KanbatteJson.Serialize((object)e))), actual.Select(e => (EventTypes.NameOf(e), KanbatteJson.Serialize((object)e))));

    [Fact]
    public void Change_carries_only_the_fields_that_change()
    {
        Assert.Equal([new ProjectUpdated(Name: "Renamed")],
            ProjectDecider.Change(Project(), "AI", new ChangeProject("Renamed", "About AI", "https://github.com/org/ai")));
        Assert.Equal([new ProjectUpdated(Description: "New", Repository: "https://git.example.com/ai")],
            ProjectDecider.Change(Project(), "AI", new ChangeProject(null, "New", "https://git.example.com/ai")));
    }

    [Fact]
    public void Change_that_changes_nothing_decides_nothing()
    {
        Assert.Empty(ProjectDecider.Change(Project(), "AI", new ChangeProject(null, null, null)));
        Assert.Empty(ProjectDecider.Change(Project(), "AI", new ChangeProject("AI research", "About AI", "https://github.com/org/ai")));
        // Clearing what is already empty is no change either.
        Assert.Empty(ProjectDecider.Change(Project(null, null), "AI", new ChangeProject(null, null, null, Clear("description", "repository"))));
    }

    [Fact]
    public void Change_clears_the_optional_fields_it_names()
    {
        AssertDecided([new ProjectUpdated(Cleared: ["description"])],
            ProjectDecider.Change(Project(), "AI", new ChangeProject(null, null, null, Clear("description"))));
        AssertDecided([new ProjectUpdated(Name: "Renamed", Cleared: ["description", "repository"])],
            ProjectDecider.Change(Project(), "AI", new ChangeProject("Renamed", null, null, Clear("description", "repository"))));
        // Only what is set is cleared: the repository here, not the description that is already empty.
        AssertDecided([new ProjectUpdated(Cleared: ["repository"])],
            ProjectDecider.Change(Project(description: null), "AI", new ChangeProject(null, null, null, Clear("description", "repository"))));
    }

    [Fact]
    public void Change_of_a_missing_project_is_not_found()
    {
        var e = Assert.Throws<NotFoundException>(() => ProjectDecider.Change(null, "ZZ", new ChangeProject("Name", null, null)));
        Assert.Equal(("Project", "ZZ"), (e.Entity, e.Id));
    }

    [Theory]
    [InlineData("", null, null, "name", "must not be blank.")]
    [InlineData("a\u0001b", null, null, "name", "control characters")]
    [InlineData(null, null, "ftp://example.com/repo", "repository", "absolute http or https")]
    public void Change_is_validated_before_the_project_is_looked_at(string? name, string? description, string? repository, string field, string message)
    {
        ProjectRulesTests.AssertViolation(() => ProjectDecider.Change(Project(), "AI", new ChangeProject(name, description, repository)), field, message);
        ProjectRulesTests.AssertViolation(() => ProjectDecider.Change(null, "AI", new ChangeProject(name, description, repository)), field, message);
    }

    [Fact]
    public void Change_limits_the_name_and_description()
    {
        ProjectRulesTests.AssertViolation(() => ProjectDecider.Change(Project(), "AI", new ChangeProject(new string('n', 101), null, null)), "name", "at most 100");
        ProjectRulesTests.AssertViolation(() => ProjectDecider.Change(Project(), "AI", new ChangeProject(null, new string('d', 2001), null)), "description", "at most 2000");
        Assert.Single(ProjectDecider.Change(Project(), "AI", new ChangeProject(new string('n', 100), new string('d', 2000), null)));
    }

    [Fact]
    public void A_change_folds_into_the_project()
    {
        var at = T0.AddMinutes(3);
        var changed = ProjectDecider.Evolve(Project(), Assert.Single(ProjectDecider.Change(Project(), "AI", new ChangeProject("Renamed", null, null, Clear("repository")))), 2, at)!;
        Assert.Equal(ProjectDecider.Evolve(null, new ProjectCreated("AI", "Renamed", "About AI", null), 2, T0)! with { UpdatedAt = at }, changed);
    }
}
