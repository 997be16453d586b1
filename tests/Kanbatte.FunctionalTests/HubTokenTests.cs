using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Kanbatte.FunctionalTests;

/// <summary>
/// The hub's <c>access_token</c> query parameter (what browsers' WebSocket and server-sent-events transports send): taken
/// on the hub's path only, refused anywhere else, and never written to a log, even at trace level.
/// </summary>
public sealed class HubTokenTests(KanbatteFactory factory) : IClassFixture<KanbatteFactory>
{
    [Fact]
    public async Task The_hub_takes_its_token_from_the_query_nothing_else_does_and_no_log_shows_it()
    {
        var logs = new CapturingLoggerProvider();
        using var traced = factory.WithWebHostBuilder(b => b.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Trace).AddFilter("Microsoft.AspNetCore", LogLevel.Trace).AddProvider(logs)));
        var token = TestTokens.Mint("hub-query-user", "Hub", admin: false);
        var anonymous = traced.CreateClient();
        anonymous.DefaultRequestHeaders.Authorization = null;

        // Negotiate with the header, as every SignalR client does; then the connection with the token in the query only.
        var negotiate = await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/hub/negotiate?negotiateVersion=1")
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
        });
        Assert.Equal(HttpStatusCode.OK, negotiate.StatusCode);
        var connection = JsonSerializer.Deserialize<JsonElement>(await negotiate.Content.ReadAsStringAsync()).GetProperty("connectionToken").GetString()!;
        var poll = await anonymous.GetAsync($"/api/hub?id={Uri.EscapeDataString(connection)}&access_token={token}");
        Assert.Equal(HttpStatusCode.OK, poll.StatusCode); // long polling's first poll: the connection is open
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/hub?id={Uri.EscapeDataString(connection)}")).StatusCode);

        // Anywhere else the parameter is no token: refused as a request without one.
        var me = await anonymous.GetAsync($"/api/me?access_token={token}");
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/projects?limit=5&access_token={token}")).StatusCode);

        Assert.NotEmpty(logs.Lines);
        Assert.True(logs.Lines.Any(line => line.Contains("/api/hub", StringComparison.Ordinal)), string.Join("\n", logs.Lines)); // the requests were logged ...
        var secrets = token.Split('.').Where(p => p.Length >= 8).Append(token);
        Assert.DoesNotContain(logs.Lines, line => secrets.Any(s => line.Contains(s, StringComparison.Ordinal))); // ... without it
    }
}
