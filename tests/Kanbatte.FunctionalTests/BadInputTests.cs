using System.Net;

namespace Kanbatte.FunctionalTests;

/// <summary>Every client mistake gets a 4xx problem naming what is wrong, and appends nothing.</summary>
public sealed class BadInputTests : IClassFixture<KanbatteFactory>, IAsyncLifetime
{
    private readonly KanbatteFactory _factory;
    private readonly HttpClient _client;

    public BadInputTests(KanbatteFactory factory)
    {
        _factory = factory;
        _client = factory.CreateClient();
    }

    public async Task InitializeAsync()
    {
        // One project with one task to aim the bad requests at; created once per class.
        if ((await _client.GetAsync("/api/projects/BAD")).StatusCode == HttpStatusCode.NotFound)
        {
            await _client.PostJsonAsync("/api/projects", new { key = "BAD", name = "Bad input" });
            await _client.PostJsonAsync("/api/projects/BAD/tasks", new { title = "Target" });
            await _client.PostJsonAsync("/api/tasks/BAD-001/comments", new { body = "Target" }); // CM-1
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string, string, string, string> BadBodies => new()
    {
        // method, url, body, field the problem must name
        { "POST", "/api/projects", "{\"key\":", "body" },
        { "POST", "/api/projects", "not json", "body" },
        { "POST", "/api/projects", "", "body" },
        { "POST", "/api/projects", "[1,2]", "body" },
        { "POST", "/api/projects", "null", "body" },
        { "POST", "/api/projects", "{\"name\":\"No key\"}", "key" },
        { "POST", "/api/projects", "{\"key\":\"x\",\"name\":\"Bad key\"}", "key" },
        { "POST", "/api/projects", "{\"key\":\"TOOLONGKEY11\",\"name\":\"n\"}", "key" },
        { "POST", "/api/projects", "{\"key\":42,\"name\":\"n\"}", "key" },
        { "POST", "/api/projects", "{\"key\":\"OK\"}", "name" },
        { "POST", "/api/projects", "{\"key\":\"OK\",\"name\":\"" + new string('n', 101) + "\"}", "name" },
        { "POST", "/api/projects", "{\"key\":\"OK\",\"name\":\"n\",\"description\":\"" + new string('d', 2001) + "\"}", "description" },
        { "POST", "/api/projects", "{\"key\":\"OK\",\"name\":\"n\",\"repository\":\"ftp://x\"}", "repository" },
        { "POST", "/api/projects", "{\"key\":\"OK\",\"name\":\"n\",\"owner\":\"me\"}", "owner" },
        { "POST", "/api/projects", "{\"key\":\"OK\",\"name\":[\"n\"]}", "name" },
        { "POST", "/api/projects/BAD/tasks", "{}", "title" },
        { "POST", "/api/projects/BAD/tasks", "{\"title\":null}", "title" },
        { "POST", "/api/projects/BAD/tasks", "{\"title\":true}", "title" },
        { "POST", "/api/projects/BAD/tasks", "{\"title\":\"" + new string('t', 201) + "\"}", "title" },
        { "POST", "/api/projects/BAD/tasks", "{\"title\":\"t\",\"description\":\"" + new string('d', 20001) + "\"}", "description" },
        { "POST", "/api/projects/BAD/tasks", "{\"title\":\"t\",\"status\":\"doing\"}", "status" },
        { "POST", "/api/projects/BAD/tasks", "{\"title\":\"t\",\"status\":1}", "status" },
        { "POST", "/api/projects/BAD/tasks", "{\"title\":\"t\",\"title\":\"u\"}", "title" },
        { "POST", "/api/projects/BAD/tasks", new string('[', 100) + new string(']', 100), "body" },
        { "PATCH", "/api/tasks/BAD-001", "{\"status\":\"finished\"}", "status" },
        { "PATCH", "/api/tasks/BAD-001", "{\"title\":\"\"}", "title" },
        { "PATCH", "/api/tasks/BAD-001", "{\"title\":null}", "title" },
        { "PATCH", "/api/tasks/BAD-001", "{\"status\":null}", "status" },
        { "PATCH", "/api/tasks/BAD-001", "{\"description\":{}}", "description" },
        { "PATCH", "/api/tasks/BAD-001", "{\"owner\":\"bob\"}", "owner" },
        { "PATCH", "/api/tasks/BAD-001", "{\"priority\":\"asap\"}", "priority" },
        { "PATCH", "/api/tasks/BAD-001", "{\"dueDate\":\"2026-13-01\"}", "dueDate" },
        { "PATCH", "/api/tasks/BAD-001", "{\"labels\":\"one\"}", "labels" },
        { "PATCH", "/api/tasks/BAD-001", "{\"labels\":[1]}", "labels" },
        { "PATCH", "/api/tasks/BAD-001", "{\"labels\":[\"" + new string('l', 51) + "\"]}", "labels" },
        { "PATCH", "/api/tasks/BAD-001", "{\"labels\":[" + string.Join(",", Enumerable.Range(0, 21).Select(i => $"\"l{i}\"")) + "]}", "labels" },
        { "POST", "/api/tasks/BAD-001/move", "{\"status\":\"nope\"}", "status" },
        { "POST", "/api/tasks/BAD-001/move", "{\"after\":\"BAD-999\"}", "after" },
        { "POST", "/api/tasks/BAD-001/move", "{\"before\":\"BAD-001\"}", "before" },
        { "PATCH", "/api/projects/BAD", "{\"name\":\"\"}", "name" },
        { "PATCH", "/api/projects/BAD", "{\"repository\":\"nope\"}", "repository" },
        { "PATCH", "/api/projects/BAD", "{\"key\":\"NEW\"}", "key" },
        { "PATCH", "/api/tasks/BAD-001", "{\"title\":", "body" },
        { "POST", "/api/tasks/BAD-001/comments", "{}", "body" },
        { "POST", "/api/tasks/BAD-001/comments", "{\"body\":\"   \"}", "body" },
        { "POST", "/api/tasks/BAD-001/comments", "{\"body\":\"" + new string('b', 10001) + "\"}", "body" },
        { "POST", "/api/tasks/BAD-001/comments", "{\"body\":\"b\",\"author\":\"" + new string('a', 101) + "\"}", "author" },
        { "POST", "/api/tasks/BAD-001/comments", "{\"body\":\"b\",\"author\":7}", "author" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_bodies_are_400_problems_naming_the_field_and_append_nothing(string method, string url, string body, string field)
    {
        var before = _factory.EventCount;

        var response = await _client.SendRawAsync(new HttpMethod(method), url, body);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, field);
        Assert.Equal(before, _factory.EventCount);
    }

    [Fact]
    public async Task A_body_over_one_megabyte_is_refused()
    {
        var before = _factory.EventCount;
        var huge = "{\"title\":\"t\",\"description\":\"" + new string('d', 1024 * 1024) + "\"}";

        var response = await _client.SendRawAsync(HttpMethod.Post, "/api/projects/BAD/tasks", huge);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "body");
        Assert.Equal(before, _factory.EventCount);
    }

    [Fact]
    public async Task A_body_with_a_quarter_million_mistakes_gets_a_problem_of_a_few_kilobytes()
    {
        var before = _factory.EventCount;
        var body = "{\"title\":\"t\",\"labels\":[" + string.Join(",", Enumerable.Repeat("\"\"", 250_000)) + "]}";

        var response = await _client.SendRawAsync(HttpMethod.Post, "/api/projects/BAD/tasks", body);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(text.Length < 4096, $"a {text.Length}-character problem");
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "labels");
        var problem = await response.JsonAsync();
        Assert.Equal(20, problem.GetProperty("errors").EnumerateObject().Sum(e => e.Value.GetArrayLength()));
        Assert.Equal(250_000, problem.GetProperty("errorCount").GetInt32());
        Assert.Contains("250000 errors were found; the first 20 are listed.", problem.GetProperty("detail").GetString());
        Assert.Equal(before, _factory.EventCount);
    }

    [Fact]
    public async Task A_body_of_unknown_fields_reports_the_first_twenty()
    {
        var body = "{" + string.Join(",", Enumerable.Range(0, 50_000).Select(i => $"\"f{i}\":1")) + "}";

        var response = await _client.SendRawAsync(HttpMethod.Post, "/api/projects", body);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "f0");
        var problem = await response.JsonAsync();
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"f{i}"), problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Equal(50_000, problem.GetProperty("errorCount").GetInt32());
    }

    [Fact]
    public async Task A_body_that_is_not_json_by_content_type_is_refused()
    {
        var response = await _client.SendRawAsync(HttpMethod.Post, "/api/projects/BAD/tasks", "title=t", "application/x-www-form-urlencoded");
        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "body");
    }

    [Theory]
    [InlineData("GET", "/api/projects/NOPE")]
    [InlineData("GET", "/api/projects/nope")]
    [InlineData("GET", "/api/projects/NOPE/tasks")]
    [InlineData("POST", "/api/projects/NOPE/tasks")]
    [InlineData("GET", "/api/tasks/BAD-999")]
    [InlineData("GET", "/api/tasks/garbage")]
    [InlineData("GET", "/api/tasks/BAD-1")]
    [InlineData("PATCH", "/api/tasks/BAD-999")]
    [InlineData("POST", "/api/tasks/BAD-999/comments")]
    [InlineData("GET", "/api/tasks/BAD-999/comments")]
    [InlineData("GET", "/api/tasks/BAD-999/history")]
    [InlineData("GET", "/api/tasks/NOPE-001/history")]
    public async Task Unknown_projects_and_tasks_are_404_problems(string method, string url)
    {
        var before = _factory.EventCount;
        var json = method == "PATCH" ? "{\"status\":\"done\"}" : url.EndsWith("/comments") ? "{\"body\":\"b\"}" : "{\"title\":\"t\"}";
        var body = method == "GET" ? null : new StringContent(json, System.Text.Encoding.UTF8, "application/json");

        var response = await _client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = body });

        await AssertProblemAsync(response, HttpStatusCode.NotFound, field: null);
        Assert.Equal(before, _factory.EventCount);
    }

    [Theory]
    [InlineData("/api/projects?limit=0", "limit")]
    [InlineData("/api/projects?limit=101", "limit")]
    [InlineData("/api/projects?limit=ten", "limit")]
    [InlineData("/api/projects?limit=-1", "limit")]
    [InlineData("/api/projects?limit=1&limit=2", "limit")]
    [InlineData("/api/projects/BAD/tasks?status=doing", "status")]
    [InlineData("/api/projects/BAD/tasks?continuationToken=%00%01", "continuationToken")]
    [InlineData("/api/tasks/BAD-001/comments?continuationToken=eyJ9.AAAA", "continuationToken")]
    [InlineData("/api/tasks/BAD-001/history?limit=1000", "limit")]
    public async Task Bad_query_parameters_are_400_problems(string url, string field) =>
        await AssertProblemAsync(await _client.GetAsync(url), HttpStatusCode.BadRequest, field);

    [Theory]
    [InlineData("GET", "/api/health?verbose=1", "verbose")]
    [InlineData("GET", "/api/openapi.json?format=yaml", "format")]
    [InlineData("POST", "/api/projects?dryRun=true", "dryRun")]
    [InlineData("GET", "/api/projects?limt=1", "limt")]
    [InlineData("GET", "/api/projects/BAD?version=1", "version")]
    [InlineData("PATCH", "/api/projects/BAD?force=1", "force")]
    [InlineData("GET", "/api/projects/BAD/board?status=todo", "status")]
    [InlineData("GET", "/api/projects/BAD/activity?type=task_created", "type")]
    [InlineData("POST", "/api/projects/BAD/tasks?x=1", "x")]
    [InlineData("GET", "/api/projects/BAD/tasks?assigne=ana", "assigne")]
    [InlineData("GET", "/api/tasks/BAD-001?verison=3", "verison")]
    [InlineData("PATCH", "/api/tasks/BAD-001?status=done", "status")]
    [InlineData("POST", "/api/tasks/BAD-001/move?after=BAD-001", "after")]
    [InlineData("POST", "/api/tasks/BAD-001/archive?really=yes", "really")]
    [InlineData("POST", "/api/tasks/BAD-001/restore?really=yes", "really")]
    [InlineData("POST", "/api/tasks/BAD-001/comments?notify=all", "notify")]
    [InlineData("GET", "/api/tasks/BAD-001/comments?sort=-number", "sort")]
    [InlineData("PATCH", "/api/tasks/BAD-001/comments/CM-1?x=", "x")]
    [InlineData("DELETE", "/api/tasks/BAD-001/comments/CM-1?x", "x")]
    [InlineData("GET", "/api/tasks/BAD-001/history?asOf=2026-01-01T00:00:00Z", "asOf")]
    [InlineData("GET", "/api/admin/dead-letters?stream=task:BAD-001", "stream")]
    [InlineData("POST", "/api/admin/dead-letters/redrive?limit=1", "limit")]
    public async Task Unknown_query_parameters_are_400_problems_naming_them_on_every_route(string method, string url, string parameter)
    {
        var before = _factory.EventCount;
        var body = method is "POST" or "PATCH" ? new StringContent(url.Contains("/comments") ? "{\"body\":\"b\"}" : "{}", System.Text.Encoding.UTF8, "application/json") : null;

        var response = await _client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = body });

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, parameter);
        Assert.Equal(before, _factory.EventCount);
    }

    [Fact]
    public async Task Every_unknown_query_parameter_is_named_and_the_function_key_is_not_one()
    {
        var problem = await (await _client.GetAsync("/api/projects/BAD/tasks?assigne=ana&stauts=done&limit=5")).JsonAsync();
        Assert.Equal(["assigne", "stauts"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());

        // The Functions host passes its function key (?code=) on to the function: it is not the route's mistake.
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/api/projects/BAD/tasks?code=secret&limit=5")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/api/health?code=secret")).StatusCode);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? field)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        if (field is not null)
        {
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"expected the problem to name '{field}': {problem}");
            Assert.Contains(field, problem.GetProperty("detail").GetString());
        }
    }
}
