using System.Net;

namespace Kanbatte.FunctionalTests;

/// <summary>
/// The text rules through HTTP: lengths as the OpenAPI document counts them (code points), and one-line fields that are
/// one visible line. Each refusal is a 400 problem naming the field, and appends nothing.
/// </summary>
public sealed class TextRulesHttpTests(KanbatteFactory factory) : IClassFixture<KanbatteFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private static string Emojis(int count) => string.Concat(Enumerable.Repeat("\U0001F600", count));

    [Fact]
    public async Task A_title_of_200_emoji_is_accepted_and_one_of_201_refused()
    {
        var key = await _client.NewProjectAsync("TX");

        var created = await _client.PostJsonAsync($"/api/projects/{key}/tasks", new { title = Emojis(150) });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await _client.AddMemberAsync(key, Emojis(100)); // an assignee is a member's user id
        created = await _client.PostJsonAsync($"/api/projects/{key}/tasks", new { title = Emojis(200), assignee = Emojis(100), labels = new[] { Emojis(50) } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(Emojis(200), (await created.JsonAsync()).GetProperty("title").GetString());

        var before = factory.EventCount;
        await AssertRefusedAsync(await _client.PostJsonAsync($"/api/projects/{key}/tasks", new { title = Emojis(201) }), "title", "at most 200 characters");
        Assert.Equal(before, factory.EventCount);
    }

    [Fact]
    public async Task A_comment_and_a_project_count_code_points_too()
    {
        var key = await _client.NewProjectAsync("TX");
        var task = (await (await _client.PostJsonAsync($"/api/projects/{key}/tasks", new { title = "t" })).JsonAsync()).GetProperty("id").GetString();

        Assert.Equal(HttpStatusCode.Created, (await _client.PostJsonAsync($"/api/tasks/{task}/comments", new { body = Emojis(10_000) })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.PatchJsonAsync($"/api/projects/{key}", new { name = Emojis(100), description = Emojis(2_000) })).StatusCode);
        await AssertRefusedAsync(await _client.PostJsonAsync($"/api/tasks/{task}/comments", new { body = Emojis(10_001) }), "body", "at most 10000 characters");
    }

    [Fact]
    public async Task The_title_search_limit_counts_code_points()
    {
        var key = await _client.NewProjectAsync("TX");
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync($"/api/projects/{key}/tasks?q={Uri.EscapeDataString(Emojis(200))}")).StatusCode);
        await AssertRefusedAsync(await _client.GetAsync($"/api/projects/{key}/tasks?q={Uri.EscapeDataString(Emojis(201))}"), "q", "at most 200 characters");
    }

    public static TheoryData<string, string, string, string> OneLineRefusals => new()
    {
        // what, field, value, part of the message
        { "task", "title", "one\u2028two", "must be one line" },
        { "task", "title", "one\u2029two", "must be one line" },
        { "task", "title", "\u200B\uFEFF", "visible character" },
        { "task", "title", "invoice\u202Efdp.exe", "bidirectional" },
        { "task", "title", "\u2066isolated\u2069", "bidirectional" },
        { "task", "assignee", "bob\u202D", "bidirectional" },
        { "task", "labels", "\u2060", "visible character" },
        { "project", "name", "name\u202B", "bidirectional" },
        { "project", "name", "\u200B", "visible character" },
        { "comment", "body", "\u200B\u2060", "visible character" },
    };

    [Theory]
    [MemberData(nameof(OneLineRefusals))]
    public async Task One_line_fields_refuse_separators_overrides_and_invisible_text(string what, string field, string value, string message)
    {
        var key = await _client.NewProjectAsync("TX");
        var task = (await (await _client.PostJsonAsync($"/api/projects/{key}/tasks", new { title = "t" })).JsonAsync()).GetProperty("id").GetString();
        var before = factory.EventCount;

        var response = what switch
        {
            "task" => await _client.PostJsonAsync($"/api/projects/{key}/tasks", new Dictionary<string, object> { ["title"] = "t", [field] = field == "labels" ? new[] { value } : value }),
            "project" => await _client.PatchJsonAsync($"/api/projects/{key}", new Dictionary<string, object> { [field] = value }),
            _ => await _client.PostJsonAsync($"/api/tasks/{task}/comments", new Dictionary<string, object> { ["body"] = "b", [field] = value }),
        };

        await AssertRefusedAsync(response, field, message);
        Assert.Equal(before, factory.EventCount);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string field, string message)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"expected the problem to name '{field}': {errors}");
        Assert.Contains(messages.EnumerateArray(), m => m.GetString()!.Contains(message, StringComparison.Ordinal));
    }
}
