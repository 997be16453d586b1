using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Kanbatte.Api;
using Kanbatte.Application;
using Kanbatte.Domain;
using Kanbatte.Functions;
using Kanbatte.Functions.Http;
using Kanbatte.Functions.Push;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kanbatte.Azure.Tests;

/// <summary>
/// Push on the function app against a local stand-in of Azure SignalR Service: what negotiate answers and asks the
/// service for, the REST sends one change-feed batch makes (one per member of each changed project, with a cursor the
/// changes feed takes), their retries, and projection going on whatever the service does.
/// </summary>
public sealed class PushTests : IAsyncLifetime
{
    private static readonly EventMetadata Meta = new("push-test");
    private const string Scope = "https://signalr.azure.com/.default";
    private const string Bearer = "Bearer " + SignalRServiceStandIn.IdentityToken;

    // User ids with the characters that must never reach a URL as they are.
    private const string Ann = "auth0|ann/1"; // of ALPHA only
    private const string Bob = "auth0|bob/2"; // of BETA
    private const string Cyd = "auth0|cyd/3"; // of BETA
    private static readonly string Owner = TestUsers.Owner.Id; // of both
    private static readonly string[] Users = [Owner, Ann, Bob, Cyd];

    private readonly SignalRServiceStandIn.Credential _credential = new();
    private readonly CapturingLoggerProvider _logs = new();
    private readonly HashSet<string> _projected = new(StringComparer.Ordinal);
    private SignalRServiceStandIn _signalR = null!;
    private FunctionApp _app = null!;

    public async Task InitializeAsync()
    {
        _signalR = await SignalRServiceStandIn.StartAsync();
        _app = await StartAppAsync(_signalR.Settings);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _signalR.DisposeAsync();
    }

    /// <summary>The function app with the stand-in identity (never Azure's), its warnings and the sender's retries kept.</summary>
    private Task<FunctionApp> StartAppAsync(IReadOnlyDictionary<string, string?>? settings) =>
        FunctionApp.StartAsync(s =>
        {
            s.AddSingleton<TokenCredential>(_credential);
            s.AddSingleton<ILoggerProvider>(_logs);
            s.AddLogging(l => l.AddFilter<CapturingLoggerProvider>(typeof(SignalRService).FullName, LogLevel.Information));
        }, settings);

    private static string SendPath(string userId) => $"/api/hubs/kanbatte/users/{ViewKeys.UserKey(userId)}/:send";

    private static Task<DirectHttp.Response> NegotiateAsync(FunctionApp app, string token)
    {
        var request = DirectHttp.Request(app.Services, "POST", "/api/hub/negotiate", query: "?negotiateVersion=1", token: token);
        return DirectHttp.CallAsync(request, app.Function<NegotiateFunction>().Run);
    }

    private Task<DirectHttp.Response> PullAsync(string key, string since, string userId)
    {
        var request = DirectHttp.Request(_app.Services, "GET", $"/api/projects/{key}/changes",
            query: "?since=" + Uri.EscapeDataString(since), token: TestTokens.Mint(userId, admin: false));
        return DirectHttp.CallAsync(request, r => _app.Function<ProjectChangesFunction>().Run(r, key));
    }

    /// <summary>ALPHA: the owner and Ann; BETA: the owner, Bob and Cyd; a task in each.</summary>
    private async Task WriteProjectsAsync(FunctionApp app)
    {
        var commands = app.Get<KanbatteCommands>();
        await commands.CreateProjectAsync(new CreateProject("ALPHA", "Alpha", null, null), Meta);
        await commands.CreateProjectAsync(new CreateProject("BETA", "Beta", null, null), Meta);
        await commands.SetMemberAsync(TestUsers.Owner, "ALPHA", Ann, () => (ProjectRoles.Member, "Ann"), Meta);
        await commands.SetMemberAsync(TestUsers.Owner, "BETA", Bob, () => (ProjectRoles.Member, "Bob"), Meta);
        await commands.SetMemberAsync(TestUsers.Owner, "BETA", Cyd, () => (ProjectRoles.Viewer, "Cyd"), Meta);
        await commands.CreateTaskAsync("ALPHA", new CreateTask("Alpha task", null, null), Meta);
        await commands.CreateTaskAsync("BETA", new CreateTask("Beta task", null, null), Meta);
    }

    /// <summary>What the change feed would deliver since the last call, as one batch to the trigger.</summary>
    private async Task ProjectNewAsync(FunctionApp app)
    {
        var fresh = (await app.LogAsync()).Where(d => _projected.Add(d.Id)).ToList();
        Assert.NotEmpty(fresh);
        await app.Function<ProjectEventsFunction>().Run(fresh, CancellationToken.None);
    }

    private sealed record Send(string User, string ProjectKey, string Cursor, SignalRServiceStandIn.Call Call);

    /// <summary>The stand-in's calls, each a send to a known user with a <c>changed</c> message (anything else fails the test).</summary>
    private List<Send> Sends() => _signalR.Calls.Select(call =>
    {
        var user = Users.SingleOrDefault(u => call.Path == SendPath(u));
        Assert.True(user is not null, $"{call.Method} {call.Path} is not a send to a member");
        var argument = JsonNode.Parse(call.Body)!["arguments"]![0]!;
        return new Send(user, (string)argument["projectKey"]!, (string)argument["cursor"]!, call);
    }).ToList();

    private static string[] Told(IEnumerable<Send> sends) => sends.Select(s => $"{s.User} <- {s.ProjectKey}").Order(StringComparer.Ordinal).ToArray();

    private static string[] Told(params (string User, string ProjectKey)[] expected) =>
        expected.Select(e => $"{e.User} <- {e.ProjectKey}").Order(StringComparer.Ordinal).ToArray();

    private List<string> GiveUps() => _logs.Lines.Where(l => l.Contains("Telling a member of", StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task Negotiate_answers_the_service_url_and_a_client_token_for_the_caller_for_the_rest_of_their_token()
    {
        const string caller = "auth0|negotiator/7";
        var token = TestTokens.Mint(caller, admin: false, expires: TimeSpan.FromMinutes(30));

        var answer = await NegotiateAsync(_app, token);

        Assert.Equal(200, answer.Status);
        Assert.Equal($"http://127.0.0.1:{_signalR.Endpoint.Port}/client/?hub=kanbatte", answer.Json.GetProperty("url").GetString());
        Assert.Equal("client-token-for-" + ViewKeys.UserKey(caller), answer.Json.GetProperty("accessToken").GetString());
        var call = Assert.Single(_signalR.Calls);
        Assert.Equal(("POST", "/api/hubs/kanbatte/:generateToken", Bearer), (call.Method, call.Path, call.Authorization));
        var query = QueryHelpers.ParseQuery(call.Query);
        Assert.Equal(new[] { "api-version", "minutesToExpire", "userId" }, query.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(ViewKeys.UserKey(caller), query["userId"].Single());
        Assert.Contains(query["minutesToExpire"].Single(), new[] { "30", "31" }); // as long as the caller's token, not the 60 of a token without expiry
        Assert.Equal("2024-12-01", query["api-version"].Single());
        Assert.NotEmpty(_credential.Scopes);
        Assert.All(_credential.Scopes, s => Assert.Equal(new[] { Scope }, s));
    }

    [Fact]
    public async Task Negotiate_without_a_token_is_401_and_asks_the_service_nothing()
    {
        var answer = await NegotiateAsync(_app, DirectHttp.NoToken);

        Assert.Equal(401, answer.Status);
        Assert.Empty(_signalR.Calls);
        Assert.Empty(_credential.Scopes);
    }

    [Fact]
    public async Task Without_an_endpoint_negotiate_is_a_404_problem_and_nothing_is_asked_of_any_service()
    {
        await using var app = await StartAppAsync(settings: null);

        var answer = await NegotiateAsync(app, TestTokens.Mint("auth0|someone", admin: false));

        Assert.Equal(404, answer.Status);
        Assert.StartsWith("application/problem+json", answer.ContentType);
        Assert.Equal(404, answer.Json.GetProperty("status").GetInt32());
        Assert.Empty(_signalR.Calls);
        Assert.Empty(_credential.Scopes); // no identity token either: nothing was about to be called
    }

    [Fact]
    public async Task One_batch_tells_each_member_of_each_changed_project_once_with_a_cursor_of_its_feed()
    {
        await WriteProjectsAsync(_app);

        await ProjectNewAsync(_app);

        var sends = Sends();
        // Ann is of ALPHA only: she is never sent BETA's message; Bob and Cyd never ALPHA's.
        Assert.Equal(Told((Owner, "ALPHA"), (Ann, "ALPHA"), (Owner, "BETA"), (Bob, "BETA"), (Cyd, "BETA")), Told(sends));
        var journal = _app.Get<IChangeJournal>();
        foreach (var send in sends)
        {
            Assert.Equal(("POST", "?api-version=2024-12-01", Bearer), (send.Call.Method, send.Call.Query, send.Call.Authorization));
            // Exactly the message: nothing but the target and the project's key and cursor.
            var expected = new JsonObject
            {
                ["target"] = "changed",
                ["arguments"] = new JsonArray(new JsonObject { ["projectKey"] = send.ProjectKey, ["cursor"] = send.Cursor }),
            };
            Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(send.Call.Body)), send.Call.Body);
            // The cursor is the project's feed at the entry this batch journaled: a member pulling from it is served, with nothing newer yet.
            var cursor = _app.Get<ChangesCursors>().Decode(send.Cursor, send.ProjectKey);
            Assert.Equal((await journal.HeadAsync(send.ProjectKey), false), (cursor.Seq, cursor.Listing));
            var pulled = await PullAsync(send.ProjectKey, send.Cursor, send.User);
            Assert.Equal(200, pulled.Status);
            Assert.Empty(pulled.Json.GetProperty("changes").EnumerateArray());
        }
        // Every member of a project got the same message.
        Assert.All(sends.GroupBy(s => s.ProjectKey), project => Assert.Single(project.Select(s => s.Call.Body).Distinct()));
        // A cursor is bound to its project.
        var alpha = sends.First(s => s.ProjectKey == "ALPHA").Cursor;
        Assert.Equal(400, (await PullAsync("BETA", alpha, Owner)).Status);

        // A later change is what a pull from the message's cursor returns.
        _signalR.Calls.Clear();
        var task = await _app.Get<KanbatteCommands>().CreateTaskAsync("ALPHA", new CreateTask("Second alpha task", null, null), Meta);
        await ProjectNewAsync(_app);
        var later = await PullAsync("ALPHA", alpha, Ann);
        Assert.Equal(200, later.Status);
        Assert.Equal(new[] { ("task", task.Id) }, later.Json.GetProperty("changes").EnumerateArray().Select(c => (c.GetProperty("entity").GetString()!, c.GetProperty("id").GetString()!)));
        Assert.Equal(Told((Owner, "ALPHA"), (Ann, "ALPHA")), Told(Sends())); // BETA did not change: none of its members hear of it
    }

    [Fact]
    public async Task A_removed_member_is_not_told_of_the_next_change()
    {
        await WriteProjectsAsync(_app);
        await ProjectNewAsync(_app);
        Assert.Contains(Sends(), s => s.User == Bob);
        _signalR.Calls.Clear();

        var commands = _app.Get<KanbatteCommands>();
        await commands.RemoveMemberAsync(TestUsers.Owner, "BETA", Bob, () => { }, Meta);
        await commands.CreateTaskAsync("BETA", new CreateTask("After Bob", null, null), Meta);
        await ProjectNewAsync(_app);

        Assert.Equal(Told((Owner, "BETA"), (Cyd, "BETA")), Told(Sends()));
    }

    [Fact]
    public async Task A_send_answered_429_then_503_is_tried_again_and_gets_through()
    {
        await WriteProjectsAsync(_app);
        _signalR.FailNextTo(SendPath(Bob), 429, 503); // the 429 with Retry-After: 0

        await ProjectNewAsync(_app);

        var sends = Sends();
        var bobs = sends.Where(s => s.User == Bob).ToList();
        Assert.Equal(3, bobs.Count);
        Assert.Single(bobs.Select(s => (s.Call.Body, s.Call.Authorization)).Distinct()); // the same send each time
        Assert.Equal(Told((Owner, "ALPHA"), (Ann, "ALPHA"), (Owner, "BETA"), (Cyd, "BETA")), Told(sends.Where(s => s.User != Bob)));
        Assert.Empty(GiveUps()); // the third attempt was taken
        // The 429's Retry-After (0) was waited, not the backoff the 503, without one, got (200 ms doubled for the second attempt).
        var retries = _logs.Lines.Where(l => l.Contains("trying again", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, retries.Count);
        Assert.Single(retries, l => l.Contains("answered 429", StringComparison.Ordinal) && l.Contains("trying again in 0 ms", StringComparison.Ordinal));
        Assert.Single(retries, l => l.Contains("answered 503", StringComparison.Ordinal) && l.Contains("trying again in 400 ms", StringComparison.Ordinal));
    }

    [Fact]
    public async Task After_four_failed_attempts_a_member_is_given_up_and_the_others_still_get_theirs()
    {
        await WriteProjectsAsync(_app);
        _signalR.FailNextTo(SendPath(Bob), 500, 500, 500, 500, 500); // one more than is tried

        await ProjectNewAsync(_app); // does not throw

        var sends = Sends();
        Assert.Equal(4, sends.Count(s => s.User == Bob));
        Assert.Equal(Told((Owner, "ALPHA"), (Ann, "ALPHA"), (Owner, "BETA"), (Cyd, "BETA")), Told(sends.Where(s => s.User != Bob)));
        var giveUp = Assert.Single(GiveUps());
        Assert.Contains("BETA", giveUp);
    }

    [Fact]
    public async Task A_service_answering_only_errors_never_stops_or_loses_projection()
    {
        _signalR.FailNext(Enumerable.Repeat(500, 100).ToArray());
        await WriteProjectsAsync(_app);

        await ProjectNewAsync(_app);

        await AssertProjectedAsync(_app);
        // Every member was tried, each as often as sends are, then given up.
        Assert.All(Sends().GroupBy(s => s.User + " <- " + s.ProjectKey), g => Assert.Equal(4, g.Count()));
        Assert.Equal(5, Sends().Select(s => s.User + " <- " + s.ProjectKey).Distinct().Count());
        Assert.Equal(5, GiveUps().Count);
    }

    [Fact]
    public async Task An_unreachable_service_never_stops_or_loses_projection()
    {
        // Nothing listens on a port just freed.
        await using var app = await StartAppAsync(new Dictionary<string, string?> { ["Kanbatte:SignalR:Endpoint"] = $"http://127.0.0.1:{LoopbackPort.Free()}" });
        await WriteProjectsAsync(app);

        await ProjectNewAsync(app);

        await AssertProjectedAsync(app);
        Assert.Equal(5, GiveUps().Count); // each member's send failed, and was logged
        // No answer at all is tried again like a 503: three more attempts per member before giving up.
        Assert.Equal(5 * (SignalRService.MaxAttempts - 1), _logs.Lines.Count(l => l.Contains("could not be reached", StringComparison.Ordinal)));
    }

    /// <summary>The batch of <see cref="WriteProjectsAsync"/> is in the view and in both projects' changes journals.</summary>
    private static async Task AssertProjectedAsync(FunctionApp app)
    {
        var view = app.Get<IViewStore>();
        var journal = app.Get<IChangeJournal>();
        foreach (var key in new[] { "ALPHA", "BETA" })
        {
            var (partition, id) = ViewKeys.Task(key, $"{key}-001");
            Assert.True(await view.GetAsync(partition, id) is not null, $"{id} is not in the view");
            Assert.True(await journal.HeadAsync(key) > 0, $"{key}'s changes journal is empty");
            var told = (await journal.ReadAsync(key, 0, 100)).SelectMany(e => e.Changes).ToList();
            Assert.Contains(told, c => c.Entity == EntityChange.Task && c.Id == $"{key}-001");
        }
    }
}
