using Kanbatte.Domain;

namespace Kanbatte.UnitTests;

public class ProjectRulesTests
{
    private static CreateProject Valid => new("AI", "AI research", null, null);

    [Theory]
    [InlineData("AI")]
    [InlineData("A1")]
    [InlineData("ABCDEFGHIJ")]
    [InlineData("WEB2")]
    public void Accepts_valid_keys(string key) => ProjectDecider.Validate(Valid with { Key = key });

    [Theory]
    [InlineData(null, "is required.")]
    [InlineData("A", "must be 2-10")]
    [InlineData("ABCDEFGHIJK", "must be 2-10")]
    [InlineData("ai", "must be 2-10")]
    [InlineData("1A", "must be 2-10")]
    [InlineData("A-B", "must be 2-10")]
    [InlineData("ÄB", "must be 2-10")]
    public void Rejects_invalid_keys(string? key, string message) =>
        AssertViolation(() => ProjectDecider.Validate(Valid with { Key = key }), "key", message);

    [Theory]
    [InlineData(null, "is required.")]
    [InlineData("", "must not be blank.")]
    [InlineData("   ", "must not be blank.")]
    [InlineData("a\u0001b", "must not contain control characters.")]
    public void Rejects_invalid_names(string? name, string message) =>
        AssertViolation(() => ProjectDecider.Validate(Valid with { Name = name }), "name", message);

    [Fact]
    public void Name_is_limited_to_100_characters()
    {
        ProjectDecider.Validate(Valid with { Name = new string('n', 100) });
        AssertViolation(() => ProjectDecider.Validate(Valid with { Name = new string('n', 101) }), "name", "at most 100");
    }

    [Fact]
    public void Description_is_optional_and_limited_to_2000_characters()
    {
        ProjectDecider.Validate(Valid with { Description = new string('d', 2000) });
        AssertViolation(() => ProjectDecider.Validate(Valid with { Description = new string('d', 2001) }), "description", "at most 2000");
    }

    [Theory]
    [InlineData("https://github.com/org/repo")]
    [InlineData("http://git.example.com/x")]
    public void Accepts_http_repositories(string url) => ProjectDecider.Validate(Valid with { Repository = url });

    [Theory]
    [InlineData("github.com/org/repo")]
    [InlineData("ftp://example.com/repo")]
    [InlineData("/relative/path")]
    [InlineData("not a url")]
    public void Rejects_other_repositories(string url) =>
        AssertViolation(() => ProjectDecider.Validate(Valid with { Repository = url }), "repository", "absolute http or https");

    [Fact]
    public void Reports_every_invalid_field_at_once()
    {
        var e = Assert.Throws<ValidationException>(() => ProjectDecider.Validate(new CreateProject("x", "", null, "nope")));
        Assert.Equal(["key", "name", "repository"], e.Errors.Keys.Order());
    }

    [Fact]
    public void Create_on_an_existing_project_is_a_conflict()
    {
        var existing = ProjectDecider.Evolve(null, new ProjectCreated("AI", "AI", null, null), 1, DateTimeOffset.UnixEpoch);
        Assert.Throws<ConflictException>(() => ProjectDecider.Create(existing, Valid, new UserRef("u1", "Ann")));
    }

    [Fact]
    public void Fold_of_project_created_is_the_project()
    {
        var at = DateTimeOffset.Parse("2026-01-02T03:04:05.678Z");
        var state = ProjectDecider.Evolve(null, ProjectDecider.Create(null, new CreateProject("AI", "AI research", "d", "https://x.io"), new UserRef("u1", "Ann")), 1, at);
        Assert.Equal(new ProjectState("AI", "AI research", "d", "https://x.io", 1, at, at), state);
    }

    internal static void AssertViolation(Action act, string field, string message)
    {
        var e = Assert.Throws<ValidationException>(act);
        Assert.True(e.Errors.ContainsKey(field), $"expected an error on '{field}', got {string.Join(", ", e.Errors.Keys)}");
        Assert.Contains(e.Errors[field], m => m.Contains(message, StringComparison.Ordinal));
    }
}
