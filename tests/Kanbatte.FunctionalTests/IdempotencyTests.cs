using System.Net;
using System.Text;

namespace Kanbatte.FunctionalTests;

/// <summary>Idempotency-Key on every POST: a retry gets the original response and appends nothing.</summary>
public sealed class IdempotencyTests(KanbatteFactory factory) : IClassFixture<KanbatteFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private Task<HttpResponseMessage> PostAsync(string url, string? body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", key);
        return _client.SendAsync(request);
    }

    [Fact]
    public async Task Every_post_retried_with_its_key_gets_the_original_response_and_appends_nothing()
    {
        var key = "I" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var posts = new (string Url, string? Body)[]
        {
            ("/api/projects", $$"""{"key":"{{key}}","name":"Idempotent"}"""),
            ($"/api/projects/{key}/tasks", """{"title":"Once"}"""),
            ($"/api/projects/{key}/tasks", """{"title":"Twice"}"""),
            ($"/api/tasks/{key}-001/comments", """{"body":"Only once"}"""),
            ($"/api/tasks/{key}-001/move", """{"after":"{{key}}-002"}""".Replace("{{key}}", key)),
            ($"/api/tasks/{key}-002/archive", null),
            ($"/api/tasks/{key}-002/restore", null),
        };

        foreach (var (url, body) in posts)
        {
            var idempotencyKey = Guid.NewGuid().ToString();
            var first = await PostAsync(url, body, idempotencyKey);
            Assert.True(first.IsSuccessStatusCode, $"{url}: {first.StatusCode} {await first.Content.ReadAsStringAsync()}");
            var events = factory.EventCount;

            var retry = await PostAsync(url, body, idempotencyKey);

            Assert.Equal(first.StatusCode, retry.StatusCode);
            Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
            Assert.Equal(first.Headers.Location, retry.Headers.Location);
            Assert.Equal(first.Headers.ETag, retry.Headers.ETag);
            Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
            Assert.Equal(events, factory.EventCount);
        }
    }

    [Fact]
    public async Task The_same_key_with_a_different_request_is_422()
    {
        var key = "J" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var idempotencyKey = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Created, (await PostAsync("/api/projects", $$"""{"key":"{{key}}","name":"A"}""", idempotencyKey)).StatusCode);
        var events = factory.EventCount;

        var other = await PostAsync("/api/projects", $$"""{"key":"{{key}}","name":"B"}""", idempotencyKey);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType?.MediaType);
        Assert.Equal(events, factory.EventCount);
    }

    [Fact]
    public async Task Concurrent_retries_of_one_creation_create_one_task()
    {
        var key = "K" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        await _client.PostJsonAsync("/api/projects", new { key, name = "Race" });
        var idempotencyKey = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => PostAsync($"/api/projects/{key}/tasks", """{"title":"Once"}""", idempotencyKey)));

        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        var tasks = await (await _client.GetAsync($"/api/projects/{key}/tasks")).JsonAsync();
        Assert.Equal(1, tasks.GetProperty("items").GetArrayLength());
        var retried = await PostAsync($"/api/projects/{key}/tasks", """{"title":"Once"}""", idempotencyKey);
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.Equal($"{key}-001", (await retried.JsonAsync()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_refused_request_gives_its_key_back()
    {
        var idempotencyKey = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync("/api/projects", """{"key":"bad"}""", idempotencyKey)).StatusCode);
        var key = "L" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Assert.Equal(HttpStatusCode.Created, (await PostAsync("/api/projects", $$"""{"key":"{{key}}","name":"Fixed"}""", idempotencyKey)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync("/api/projects", "{}", new string('k', 300))).StatusCode);
    }
}
