using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace Kanbatte.FunctionalTests;

/// <summary>
/// The push channel through the real server process, with the SignalR .NET client: members hear of each other's
/// changes, nobody else hears anything, a client that was away catches up with one pull, a member removed hears
/// nothing more and is refused the feed, and a connection ends when its token expires.
/// </summary>
public sealed class PushTests : IAsyncLifetime
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1.5);
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kanbatte-push-");
    private ServerProcess _server = null!;

    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync(_folder.FullName);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    /// <summary>A user's client: the API over HTTP, and the hub, keeping every <c>changed</c> it receives.</summary>
    private sealed class User(ServerProcess server, string id, TimeSpan? tokenLifetime = null) : IAsyncDisposable
    {
        public string Id { get; } = id;
        public string Token { get; } = TestTokens.Mint(id, id, admin: false, expires: tokenLifetime);
        public HttpClient Http { get; } = new HttpClient { BaseAddress = server.BaseAddress }.WithToken(TestTokens.Mint(id, id, admin: false));
        public BlockingCollection<(string ProjectKey, string Cursor)> Heard { get; } = [];
        public HubConnection Hub { get; private set; } = null!;

        public async Task<User> ConnectAsync()
        {
            Hub = new HubConnectionBuilder()
                .WithUrl(new Uri(server.BaseAddress, "api/hub"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(Token))
                .Build();
            Hub.On<JsonElement>("changed", m => Heard.Add((m.GetProperty("projectKey").GetString()!, m.GetProperty("cursor").GetString()!)));
            await Hub.StartAsync();
            return this;
        }

        /// <summary>The next message about <paramref name="key"/>, or null when none comes within <paramref name="wait"/>.</summary>
        public (string ProjectKey, string Cursor)? Next(string key, TimeSpan wait)
        {
            var until = DateTime.UtcNow + wait;
            while (Heard.TryTake(out var message, until - DateTime.UtcNow > TimeSpan.Zero ? until - DateTime.UtcNow : TimeSpan.Zero))
                if (message.ProjectKey == key) return message;
            return null;
        }

        public async ValueTask DisposeAsync()
        {
            if (Hub is not null) await Hub.DisposeAsync();
            Http.Dispose();
        }
    }

    private static async Task<JsonElement> OkAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode}, expected {(int)expected}: {text}");
        return text.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(text);
    }

    private static async Task<(JsonElement Page, string Cursor)> PullAsync(HttpClient client, string key, string? since)
    {
        var page = await OkAsync(await client.GetAsync($"api/projects/{key}/changes" + (since is null ? "" : "?since=" + Uri.EscapeDataString(since))));
        return (page, page.GetProperty("cursor").GetString()!);
    }

    [Fact]
    public async Task Members_hear_of_each_others_changes_and_nobody_else_hears_anything()
    {
        await using var ann = await new User(_server, "push-ann").ConnectAsync();
        await using var bo = await new User(_server, "push|bo").ConnectAsync();
        await using var cy = await new User(_server, "push/cy").ConnectAsync();
        const string key = "PU";
        await OkAsync(await ann.Http.PostJsonAsync("api/projects", new { key, name = "Push" }), HttpStatusCode.Created);
        await ann.Http.AddMemberAsync(key, bo.Id);
        Assert.NotNull(ann.Next(key, TimeSpan.FromSeconds(10)));
        Assert.NotNull(bo.Next(key, TimeSpan.FromSeconds(10))); // told of being added
        // The creation and the membership may be told in one message or two: let the second come before clearing both.
        await Task.Delay(Quiet);
        while (ann.Heard.TryTake(out _) || bo.Heard.TryTake(out _)) { }

        await OkAsync(await bo.Http.PostJsonAsync($"api/projects/{key}/tasks", new { title = "Bo's" }), HttpStatusCode.Created);
        var heard = ann.Next(key, TimeSpan.FromSeconds(10));
        Assert.NotNull(heard);
        // The message's cursor is the feed's: pulling from it is valid (and finds nothing newer).
        var (after, _) = await PullAsync(ann.Http, key, heard.Value.Cursor);
        Assert.Empty(after.GetProperty("changes").EnumerateArray());
        Assert.NotNull(bo.Next(key, TimeSpan.FromSeconds(10))); // the writer's own connection is a member's too

        await OkAsync(await ann.Http.PostJsonAsync($"api/projects/{key}/tasks", new { title = "Ann's" }), HttpStatusCode.Created);
        Assert.NotNull(bo.Next(key, TimeSpan.FromSeconds(10)));

        // Cy is in no project of theirs: nothing at all came, about this project or any other.
        await Task.Delay(Quiet);
        Assert.Empty(cy.Heard);
    }

    [Fact]
    public async Task After_every_connection_closed_a_client_that_connects_again_hears_changes()
    {
        // The server skips making messages while no connection is open: it must count the ones that close and open again.
        await using var ann = await new User(_server, "again-ann").ConnectAsync();
        const string key = "AG";
        await OkAsync(await ann.Http.PostJsonAsync("api/projects", new { key, name = "Again" }), HttpStatusCode.Created);
        Assert.NotNull(ann.Next(key, TimeSpan.FromSeconds(10)));
        await ann.Hub.StopAsync();
        await OkAsync(await ann.Http.PostJsonAsync($"api/projects/{key}/tasks", new { title = "Nobody listening" }), HttpStatusCode.Created);
        await Task.Delay(Quiet);
        while (ann.Heard.TryTake(out _)) { }

        await ann.Hub.StartAsync();
        await using var bo = await new User(_server, "again-bo").ConnectAsync();
        await bo.Hub.StopAsync(); // one connection closed, one still open
        await OkAsync(await ann.Http.PostJsonAsync($"api/projects/{key}/tasks", new { title = "Listening again" }), HttpStatusCode.Created);
        Assert.NotNull(ann.Next(key, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_client_that_was_away_catches_up_with_one_pull()
    {
        await using var ann = new User(_server, "away-ann");
        await using var bo = await new User(_server, "away-bo").ConnectAsync();
        const string key = "AW";
        await OkAsync(await ann.Http.PostJsonAsync("api/projects", new { key, name = "Away" }), HttpStatusCode.Created);
        await ann.Http.AddMemberAsync(key, bo.Id);
        var task = (await OkAsync(await ann.Http.PostJsonAsync($"api/projects/{key}/tasks", new { title = "Before" }), HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var (_, cursor) = await PullAsync(bo.Http, key, null);

        await bo.Hub.StopAsync(); // away
        await OkAsync(await ann.Http.PatchJsonAsync($"api/tasks/{task}", new { status = "done" }));
        var comment = (await OkAsync(await ann.Http.PostJsonAsync($"api/tasks/{task}/comments", new { body = "While you were out" }), HttpStatusCode.Created)).GetProperty("id").GetString()!;
        await OkAsync(await ann.Http.PostJsonAsync($"api/projects/{key}/tasks", new { title = "Also new" }), HttpStatusCode.Created);
        await bo.Hub.StartAsync(); // back: nothing is replayed over the hub ...

        var (page, _) = await PullAsync(bo.Http, key, cursor); // ... one pull has it all
        Assert.False(page.GetProperty("hasMore").GetBoolean());
        var told = page.GetProperty("changes").EnumerateArray().Select(c => $"{c.GetProperty("entity").GetString()} {c.GetProperty("id").GetString()}").ToList();
        Assert.Equal(["comment " + comment, "task " + task, $"task {key}-002"], told);
        var done = page.GetProperty("changes").EnumerateArray().Single(c => c.GetProperty("id").GetString() == task);
        Assert.Equal("done", done.GetProperty("data").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_member_removed_hears_nothing_more_and_is_refused_the_feed()
    {
        await using var ann = await new User(_server, "rm-ann").ConnectAsync();
        await using var bo = await new User(_server, "rm-bo").ConnectAsync();
        const string key = "RM";
        await OkAsync(await ann.Http.PostJsonAsync("api/projects", new { key, name = "Removal" }), HttpStatusCode.Created);
        await ann.Http.AddMemberAsync(key, bo.Id);
        var (_, cursor) = await PullAsync(bo.Http, key, null);
        Assert.NotNull(bo.Next(key, TimeSpan.FromSeconds(10)));

        await OkAsync(await ann.Http.DeleteAsync($"api/projects/{key}/members/{bo.Id}"), HttpStatusCode.NoContent);
        Assert.NotNull(ann.Next(key, TimeSpan.FromSeconds(10)));
        await Task.Delay(Quiet); // a message sent to Bo before the removal may still be on its way
        while (bo.Heard.TryTake(out _)) { } // whatever came before the removal was sent
        await OkAsync(await ann.Http.PostJsonAsync($"api/projects/{key}/tasks", new { title = "Not for Bo" }), HttpStatusCode.Created);
        Assert.NotNull(ann.Next(key, TimeSpan.FromSeconds(10)));

        await Task.Delay(Quiet);
        Assert.Empty(bo.Heard);
        await OkAsync(await bo.Http.GetAsync($"api/projects/{key}/changes?since=" + Uri.EscapeDataString(cursor)), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_connection_ends_when_its_token_expires()
    {
        await using var short_ = await new User(_server, "short-lived", tokenLifetime: TimeSpan.FromSeconds(4)).ConnectAsync();
        var closed = new TaskCompletionSource();
        short_.Hub.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        Assert.Equal(HubConnectionState.Connected, short_.Hub.State);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HubConnectionState.Disconnected, short_.Hub.State);
    }
}
