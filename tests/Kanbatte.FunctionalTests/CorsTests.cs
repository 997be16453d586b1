using System.Net;
using Kanbatte.Api;

namespace Kanbatte.FunctionalTests;

/// <summary>
/// CORS answered by the server itself: preflights for the configured origins (no token needed) allow the API's methods
/// and the headers it reads; actual answers, refusals included, expose the headers a browser client needs; other
/// origins, and every origin when none is configured, get no CORS headers.
/// </summary>
public sealed class CorsTests : IDisposable
{
    private const string Allowed = "https://app.example.com";
    private const string Local = "http://localhost:5173";

    private readonly KanbatteFactory _server = KanbatteFactory.With(new Dictionary<string, string?>
    {
        [KanbatteCors.OriginsSection + ":0"] = Allowed,
        [KanbatteCors.OriginsSection + ":1"] = Local + "/",
    });

    public void Dispose() => _server.Dispose();

    private static HttpRequestMessage Preflight(string url, string origin, string method, string headers = "authorization, content-type, if-match, idempotency-key")
    {
        var request = new HttpRequestMessage(HttpMethod.Options, url);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", headers);
        return request;
    }

    [Theory]
    [InlineData("/api/projects", "POST", Allowed)]
    [InlineData("/api/projects/AB", "PATCH", Local)]
    [InlineData("/api/tasks/AB-001/comments/CM-1", "DELETE", Allowed)]
    [InlineData("/api/tasks/AB-001", "GET", Allowed)]
    public async Task A_preflight_from_an_allowed_origin_is_answered_without_a_token(string url, string method, string origin)
    {
        var response = await _server.CreateAnonymousClient().SendAsync(Preflight(url, origin, method));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(origin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var methods = response.Headers.GetValues("Access-Control-Allow-Methods").SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries)).ToHashSet();
        Assert.Superset(new HashSet<string> { "GET", "HEAD", "POST", "PATCH", "DELETE", "PUT" }, methods);
        var headers = response.Headers.GetValues("Access-Control-Allow-Headers").SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries))
            .Select(h => h.ToLowerInvariant()).ToHashSet();
        Assert.Superset(new HashSet<string> { "authorization", "content-type", "if-match", "idempotency-key" }, headers);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials")); // tokens, never cookies
    }

    [Fact]
    public async Task The_browser_SignalR_clients_negotiate_preflight_is_allowed()
    {
        // What @microsoft/signalr sends before POST /api/hub/negotiate from another origin.
        var response = await _server.CreateAnonymousClient().SendAsync(
            Preflight("/api/hub/negotiate?negotiateVersion=1", Allowed, "POST", "authorization, x-requested-with, x-signalr-user-agent"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var headers = response.Headers.GetValues("Access-Control-Allow-Headers").SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries))
            .Select(h => h.ToLowerInvariant()).ToHashSet();
        Assert.Superset(new HashSet<string> { "authorization", "x-requested-with", "x-signalr-user-agent" }, headers);
    }

    [Fact]
    public async Task Actual_answers_expose_etag_location_and_the_correlation_id_also_on_a_refusal()
    {
        var client = _server.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/projects") { Content = System.Net.Http.Json.JsonContent.Create(new { key = "CORS", name = "Cors" }) };
        request.Headers.Add("Origin", Allowed);
        var created = await client.SendAsync(request);
        var refused = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        refused.Headers.Add("Origin", Allowed);
        var unauthorized = await _server.CreateAnonymousClient().SendAsync(refused);

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Unauthorized), (created.StatusCode, unauthorized.StatusCode));
        foreach (var response in new[] { created, unauthorized })
        {
            Assert.Equal(Allowed, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
            var exposed = response.Headers.GetValues("Access-Control-Expose-Headers").SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries))
                .Select(h => h.ToLowerInvariant()).ToHashSet();
            Assert.Superset(new HashSet<string> { "etag", "location", "x-correlation-id", "www-authenticate" }, exposed);
        }
    }

    [Fact]
    public async Task Another_origin_gets_no_cors_headers_and_a_server_without_origins_allows_none()
    {
        using var closed = new KanbatteFactory();
        foreach (var (server, origin) in new[] { (_server, "https://evil.example.net"), (_server, "https://app.example.com.evil.net"), (closed, Allowed) })
        {
            var preflight = await server.CreateAnonymousClient().SendAsync(Preflight("/api/projects", origin, "POST"));
            var actual = new HttpRequestMessage(HttpMethod.Get, "/api/projects");
            actual.Headers.Add("Origin", origin);
            var answer = await server.CreateClient().SendAsync(actual);

            Assert.False(preflight.Headers.Contains("Access-Control-Allow-Origin"), origin);
            Assert.False(answer.Headers.Contains("Access-Control-Allow-Origin"), origin);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode); // CORS is for browsers; the server still answers
        }
    }
}
