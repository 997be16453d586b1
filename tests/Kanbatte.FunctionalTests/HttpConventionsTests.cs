using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Kanbatte.FunctionalTests;

/// <summary>
/// What every route shares beyond its own behaviour: HEAD on every GET, 415 for a body that is not JSON, and the
/// framework's own answers under /api in the API's problem shape.
/// </summary>
public sealed class HttpConventionsTests : IClassFixture<KanbatteFactory>, IAsyncLifetime
{
    private readonly HttpClient _client;

    public HttpConventionsTests(KanbatteFactory factory) => _client = factory.CreateClient();

    public async Task InitializeAsync()
    {
        if ((await _client.GetAsync("/api/projects/HC")).StatusCode == HttpStatusCode.NotFound)
        {
            await _client.PostJsonAsync("/api/projects", new { key = "HC", name = "Conventions" });
            await _client.PostJsonAsync("/api/projects/HC/tasks", new { title = "Target" });
            await _client.PostJsonAsync("/api/tasks/HC-001/comments", new { body = "Hi" });
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string> GetUrls => new()
    {
        "/api/health", "/api/openapi.json", "/api/projects", "/api/projects/HC", "/api/projects/HC/board", "/api/projects/HC/activity",
        "/api/projects/HC/tasks?status=todo", "/api/tasks/HC-001", "/api/tasks/HC-001?version=1", "/api/tasks/HC-001/comments",
        "/api/tasks/HC-001/history", "/api/admin/dead-letters",
        // Refusals too: the status and headers of the GET's problem, without it.
        "/api/tasks/HC-999", "/api/projects?limit=0", "/api/projects?bogus=1",
    };

    [Theory]
    [MemberData(nameof(GetUrls))]
    public async Task Head_answers_with_the_gets_status_and_headers_and_no_body(string url)
    {
        var get = await _client.GetAsync(url);
        var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));

        Assert.Equal(get.StatusCode, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(get.Content.Headers.ContentType?.ToString(), head.Content.Headers.ContentType?.ToString());
        Assert.Equal(get.Content.Headers.ContentLength, head.Content.Headers.ContentLength);
        Assert.Equal(get.Headers.ETag?.ToString(), head.Headers.ETag?.ToString());
        Assert.True(head.Headers.Contains("X-Correlation-Id"));
    }

    [Theory]
    [InlineData("POST", "/api/projects", "text/plain")]
    [InlineData("PATCH", "/api/projects/HC", "application/xml")]
    [InlineData("POST", "/api/projects/HC/tasks", "application/x-www-form-urlencoded")]
    [InlineData("PATCH", "/api/tasks/HC-001", "multipart/form-data; boundary=x")]
    [InlineData("POST", "/api/tasks/HC-001/move", "text/json-seq")]
    [InlineData("POST", "/api/tasks/HC-001/comments", "garbage///")]
    [InlineData("PATCH", "/api/tasks/HC-001/comments/CM-1", "image/png")]
    public async Task A_body_that_is_not_json_is_415_naming_the_body(string method, string url, string contentType)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = new ByteArrayContent("{\"title\":\"t\",\"body\":\"b\"}"u8.ToArray()) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.True(problem.GetProperty("errors").TryGetProperty("body", out _), problem.ToString());
    }

    [Theory]
    [InlineData("GET", "/api/nothing-here")]
    [InlineData("GET", "/api/projects/HC/tasks/HC-001")]
    [InlineData("POST", "/api/tasks")]
    [InlineData("DELETE", "/api/admin")]
    public async Task An_unknown_api_route_is_a_404_problem(string method, string url)
    {
        var response = await _client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.Equal("https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5", problem.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("PUT", "/api/health", "GET, HEAD")]
    [InlineData("DELETE", "/api/projects", "GET, HEAD, POST")]
    [InlineData("POST", "/api/tasks/HC-001", "GET, HEAD, PATCH")]
    [InlineData("OPTIONS", "/api/tasks/HC-001/comments/CM-1", "DELETE, PATCH")]
    [InlineData("GET", "/api/admin/dead-letters/redrive", "POST")]
    public async Task A_method_a_route_does_not_answer_is_a_405_problem_with_allow(string method, string url, string allow)
    {
        var response = await _client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow.Order(StringComparer.Ordinal)));
        var problem = await ProblemAsync(response);
        Assert.Contains(allow.Split(", ")[0], problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/nothing-here")]
    [InlineData("/projects/HC/tasks/HC-001")]
    public async Task Other_paths_serve_the_web_client_under_a_strict_content_security_policy(string path)
    {
        var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<div id=\"app\">", await response.Content.ReadAsStringAsync());
        var policy = string.Join(" ", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", policy);
        Assert.Contains("script-src 'self';", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.DoesNotContain("unsafe", policy);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task Unknown_paths_under_the_api_stay_problem_404s_and_only_reads_get_the_client()
    {
        var api = await _client.GetAsync("/api/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        Assert.False(api.Headers.Contains("Content-Security-Policy"));

        var post = await _client.PostAsync("/nothing-here", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.NotEqual(HttpStatusCode.OK, post.StatusCode);
        Assert.NotEqual("text/html", post.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_client_is_told_to_use_this_origin_and_its_token_sign_in()
    {
        var config = await (await _client.GetAsync("/config.json")).JsonAsync();

        Assert.Equal("", config.GetProperty("apiBase").GetString());
        Assert.Equal("token", config.GetProperty("auth").GetProperty("kind").GetString());
    }

    /// <summary>Through Kestrel: what the application answers, and what Kestrel answers itself before it (README, "The API").</summary>
    [Fact]
    public async Task Through_kestrel_framework_answers_are_problems_and_kestrels_own_are_bare()
    {
        var folder = Directory.CreateTempSubdirectory("kanbatte-conventions-");
        try
        {
            await using var server = await ServerProcess.StartAsync(folder.FullName, $"--Kanbatte:Sqlite:Path={Path.Combine(folder.FullName, "k.db")}");
            var port = server.BaseAddress.Port;

            var head = await RawAsync(port, "HEAD /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            Assert.StartsWith("HTTP/1.1 200", head);
            Assert.Contains("Content-Length: 20\r\n", head);
            Assert.EndsWith("\r\n\r\n", head);

            foreach (var (request, status) in new[]
                     {
                         ("GET /api/nothing-here HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 404),
                         ("PUT /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 405),
                         // Within Kestrel's request line limit (8 KB), a long unknown path is the application's 404.
                         ("GET /api/" + new string('p', 8000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 404),
                     })
            {
                var answer = await RawAsync(port, request);
                Assert.StartsWith($"HTTP/1.1 {status}", answer);
                Assert.Contains("Content-Type: application/problem+json; charset=utf-8\r\n", answer);
            }

            // Kestrel's own refusals, made before any application code runs: a status and an empty body, on any path.
            foreach (var (request, status) in new[]
                     {
                         ("GET /api/" + new string('p', 9000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 414),
                         ("GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: " + new string('h', 40_000) + "\r\nConnection: close\r\n\r\n", 431),
                         ("GET /api/tasks/HC-001%00 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 400),
                         ("GET /api/tasks/\u00ff HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 400),
                         ("GET /api/health HTTP/1.1\r\nConnection: close\r\n\r\n", 400),
                         ("POST /api/projects HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\nConnection: close\r\n\r\n{}", 400),
                         ("POST /api/projects HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\nConnection: close\r\n\r\n{}", 400),
                         ("GET /api/health HTTP/9.9\r\nHost: x\r\n\r\n", 505),
                     })
            {
                var answer = await RawAsync(port, request);
                Assert.StartsWith($"HTTP/1.1 {status}", answer);
                Assert.Contains("Content-Length: 0\r\n", answer);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { folder.Delete(recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<System.Text.Json.JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.Contains("X-Correlation-Id"));
        var problem = await response.JsonAsync();
        Assert.Equal((int)response.StatusCode, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        return problem;
    }

    /// <summary>Sends bytes as they are and reads the whole answer (the request asks the server to close).</summary>
    private static async Task<string> RawAsync(int port, string request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var stream = tcp.GetStream();
        try { await stream.WriteAsync(Encoding.Latin1.GetBytes(request)); }
        catch (IOException) { } // the server may stop reading a request it already refused
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var answer = new MemoryStream();
        try { await stream.CopyToAsync(answer, timeout.Token); }
        catch (IOException) { }
        return Encoding.Latin1.GetString(answer.ToArray());
    }
}
