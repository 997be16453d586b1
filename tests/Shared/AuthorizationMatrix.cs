using Kanbatte.Api;
using Kanbatte.Domain;

namespace Kanbatte.Testing;

/// <summary>
/// Who may call each route, as a table keyed by the route table's own entries (method and template, <see cref="ApiRoutes"/>),
/// and a run of every route against every kind of caller on a host. A route without a rule fails the run, so a new route
/// cannot ship unchecked. Every refused request must leave the log as it was.
/// </summary>
public static class AuthorizationMatrix
{
    /// <summary>The kinds of caller, in the order a run sends them (those refused first, so the allowed ones find the fixture untouched).</summary>
    public enum Caller { NoToken, BadToken, ExpiredToken, Stranger, Operator, Viewer, Member, Owner }

    /// <summary>Who a route lets through.</summary>
    public enum Allows { Anyone, AnyUser, Operators, Viewers, Members, Owners }

    /// <summary>One project set up for one route's run: an owner, a member, a viewer, a task and comments of each.</summary>
    public sealed record Fixture(string Key, string TaskId, string MemberComment, string MemberSecondComment, string ExtraMember, string MemberFollowup = "FU-1");

    /// <summary>A request on the route as a caller makes it: the route values, the query and the body.</summary>
    public sealed record Request(IReadOnlyDictionary<string, string> RouteValues, string? Query, object? Body);

    public sealed record Rule(Allows Allows, int Success, Func<Fixture, Caller, Request> Build)
    {
        /// <summary>The member routes: a non-member operator is told 403 (not 404) there, as operators give ownerless projects an owner.</summary>
        public bool OperatorForbidden { get; init; }
    }

    public const string OwnerId = "matrix-owner", MemberId = "matrix|member", ViewerId = "matrix/viewer", StrangerId = "matrix-stranger", OperatorId = "matrix-operator";

    public static string? TokenOf(Caller caller) => caller switch
    {
        Caller.NoToken => null,
        Caller.BadToken => TestTokens.Tampered(TestTokens.Mint(OwnerId, admin: false)),
        Caller.ExpiredToken => TestTokens.Mint(OwnerId, admin: false, expires: TimeSpan.FromHours(-1)),
        Caller.Stranger => TestTokens.Mint(StrangerId, "Stranger", admin: false),
        Caller.Operator => TestTokens.Mint(OperatorId, "Operator", admin: true),
        Caller.Viewer => TestTokens.Mint(ViewerId, "Viewer", admin: false),
        Caller.Member => TestTokens.Mint(MemberId, "Member", admin: false),
        _ => TestTokens.Mint(OwnerId, "Owner", admin: false),
    };

    private static Request Values(Fixture f, string? query = null, object? body = null, string? commentId = null, string? userId = null) => new(
        new Dictionary<string, string> { ["key"] = f.Key, ["id"] = f.TaskId, ["commentId"] = commentId ?? f.MemberComment, ["userId"] = userId ?? f.ExtraMember, ["followupId"] = f.MemberFollowup }, query, body);

    private static string Unique(Caller caller) => $"{caller}-{Guid.NewGuid():N}"[..20];

    /// <summary>Every route's rule, by "METHOD template" as the route table spells it.</summary>
    public static readonly IReadOnlyDictionary<string, Rule> Rules = new Dictionary<string, Rule>
    {
        ["GET " + ApiRoutes.Health] = new(Allows.Anyone, 200, (f, _) => Values(f)),
        ["GET " + ApiRoutes.OpenApi] = new(Allows.Anyone, 200, (f, _) => Values(f)),
        ["GET " + ApiRoutes.Me] = new(Allows.AnyUser, 200, (f, _) => Values(f)),
        ["POST " + ApiRoutes.Projects] = new(Allows.AnyUser, 201, (f, c) => Values(f, body: new { key = "M" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant(), name = "Made by " + c })),
        ["GET " + ApiRoutes.Projects] = new(Allows.AnyUser, 200, (f, _) => Values(f)),
        ["GET " + ApiRoutes.ProjectByKey] = new(Allows.Viewers, 200, (f, _) => Values(f)),
        ["PATCH " + ApiRoutes.ProjectByKey] = new(Allows.Owners, 200, (f, c) => Values(f, body: new { name = "Renamed by " + c })),
        ["GET " + ApiRoutes.ProjectBoard] = new(Allows.Viewers, 200, (f, _) => Values(f, "?asOf=" + Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(1).ToString("O")))),
        ["GET " + ApiRoutes.ProjectActivity] = new(Allows.Viewers, 200, (f, _) => Values(f)),
        ["GET " + ApiRoutes.ProjectChanges] = new(Allows.Viewers, 200, (f, _) => Values(f, "?limit=10")),
        ["GET " + ApiRoutes.ProjectMembers] = new(Allows.Viewers, 200, (f, _) => Values(f)),
        ["PUT " + ApiRoutes.MemberById] = new(Allows.Owners, 201, (f, c) => Values(f, body: new { role = ProjectRoles.Viewer }, userId: "added|" + Unique(c))) { OperatorForbidden = true },
        ["DELETE " + ApiRoutes.MemberById] = new(Allows.Owners, 204, (f, _) => Values(f)) { OperatorForbidden = true },
        ["POST " + ApiRoutes.ProjectTasks] = new(Allows.Members, 201, (f, c) => Values(f, body: new { title = "Made by " + c, assignee = MemberId })),
        ["GET " + ApiRoutes.ProjectTasks] = new(Allows.Viewers, 200, (f, _) => Values(f, "?assignee=" + Uri.EscapeDataString(MemberId))),
        ["GET " + ApiRoutes.TaskById] = new(Allows.Viewers, 200, (f, _) => Values(f, "?version=1")),
        ["PATCH " + ApiRoutes.TaskById] = new(Allows.Members, 200, (f, c) => Values(f, body: new { title = "Renamed by " + c })),
        ["POST " + ApiRoutes.TaskMove] = new(Allows.Members, 200, (f, c) => Values(f, body: new { status = c == Caller.Member ? "done" : "review" })),
        ["POST " + ApiRoutes.TaskArchive] = new(Allows.Members, 200, (f, _) => Values(f)),
        ["POST " + ApiRoutes.TaskRestore] = new(Allows.Members, 200, (f, _) => Values(f)),
        ["GET " + ApiRoutes.TaskHistory] = new(Allows.Viewers, 200, (f, _) => Values(f)),
        ["POST " + ApiRoutes.TaskComments] = new(Allows.Members, 201, (f, c) => Values(f, body: new { body = "Said by " + c })),
        ["GET " + ApiRoutes.TaskComments] = new(Allows.Viewers, 200, (f, _) => Values(f)),
        // A member changes their own comment; an owner anyone's (here the member's other one).
        ["PATCH " + ApiRoutes.CommentById] = new(Allows.Members, 200, (f, c) => Values(f, body: new { body = "Edited by " + c }, commentId: c == Caller.Owner ? f.MemberSecondComment : f.MemberComment)),
        ["DELETE " + ApiRoutes.CommentById] = new(Allows.Members, 204, (f, c) => Values(f, commentId: c == Caller.Owner ? f.MemberSecondComment : f.MemberComment)),
        ["POST " + ApiRoutes.TaskFollowups] = new(Allows.Members, 201, (f, c) => Values(f, body: new { body = "Noted by " + c })),
        ["GET " + ApiRoutes.TaskFollowups] = new(Allows.Viewers, 200, (f, _) => Values(f)),
        // Any member resolves or reopens a followup (its text is its author's and the owners').
        ["PATCH " + ApiRoutes.FollowupById] = new(Allows.Members, 200, (f, c) => Values(f, body: new { status = c == Caller.Member ? "resolved" : "open" })),
        ["GET " + ApiRoutes.ProjectFollowups] = new(Allows.Viewers, 200, (f, _) => Values(f, "?status=open")),
        ["GET " + ApiRoutes.DeadLetters] = new(Allows.Operators, 200, (f, _) => Values(f)),
        ["POST " + ApiRoutes.DeadLettersRedrive] = new(Allows.Operators, 200, (f, _) => Values(f)),
        ["GET " + ApiRoutes.AdminProjects] = new(Allows.Operators, 200, (f, _) => Values(f, "?owned=false")),
        // Anyone signed in may open the push channel: what it carries is sent to each project's members only.
        ["POST " + ApiRoutes.HubNegotiate] = new(Allows.AnyUser, 200, (f, _) => Values(f, "?negotiateVersion=1")),
    };

    /// <summary>The rule of a route; HEAD answers as GET does.</summary>
    public static Rule? RuleOf(string method, string template) =>
        Rules.GetValueOrDefault($"{(method == "HEAD" ? "GET" : method)} {template}");

    /// <summary>What <paramref name="caller"/> must get from a route with <paramref name="rule"/>.</summary>
    public static int Expected(Rule rule, Caller caller)
    {
        if (rule.Allows == Allows.Anyone) return rule.Success;
        if (caller is Caller.NoToken or Caller.BadToken or Caller.ExpiredToken) return 401;
        return rule.Allows switch
        {
            Allows.AnyUser => rule.Success,
            Allows.Operators => caller == Caller.Operator ? rule.Success : 403,
            _ when caller == Caller.Stranger => 404,
            _ when caller == Caller.Operator => rule.OperatorForbidden ? 403 : 404,
            var allows => Level(caller) >= Level(allows) ? rule.Success : 403,
        };
    }

    private static int Level(Caller caller) => caller switch { Caller.Viewer => 0, Caller.Member => 1, _ => 2 };

    private static int Level(Allows allows) => allows switch { Allows.Viewers => 0, Allows.Members => 1, _ => 2 };

    /// <summary>A host to run the matrix on: its routes, how a request is sent, how many events its log holds.</summary>
    public interface IHost
    {
        IReadOnlyList<(string Method, string Template)> Routes { get; }

        /// <summary>Sends a request to a route (template filled from the route values), with a token or none; returns the status.</summary>
        Task<int> SendAsync(string method, string template, Request request, string? token);

        Task<long> EventCountAsync();

        /// <summary>Makes the view catch up with the log (the function app's change feed; nothing on the server).</summary>
        Task ProjectAsync();
    }

    /// <summary>Runs every route against every caller; returns the failures (an empty list when all held).</summary>
    public static async Task<IReadOnlyList<string>> RunAsync(IHost host)
    {
        var failures = new List<string>();
        var unruled = host.Routes.Where(r => RuleOf(r.Method, r.Template) is null).Select(r => $"{r.Method} {r.Template}").ToList();
        if (unruled.Count > 0) failures.Add("routes without a rule: " + string.Join(", ", unruled));
        foreach (var (method, template) in host.Routes)
        {
            if (RuleOf(method, template) is not { } rule) continue;
            var fixture = await FixtureAsync(host);
            await host.ProjectAsync();
            var callers = Enum.GetValues<Caller>();
            var before = await host.EventCountAsync();
            foreach (var caller in callers.Where(c => Expected(rule, c) >= 400))
            {
                var status = await host.SendAsync(method, template, rule.Build(fixture, caller), TokenOf(caller));
                if (status != Expected(rule, caller)) failures.Add($"{method} {template} as {caller}: {status}, expected {Expected(rule, caller)}");
            }
            var after = await host.EventCountAsync();
            if (after != before) failures.Add($"{method} {template}: refused requests appended {after - before} events");
            foreach (var caller in callers.Where(c => Expected(rule, c) < 400))
            {
                var status = await host.SendAsync(method, template, rule.Build(fixture, caller), TokenOf(caller));
                if (status != Expected(rule, caller)) failures.Add($"{method} {template} as {caller}: {status}, expected {Expected(rule, caller)}");
            }
        }
        return failures;
    }

    /// <summary>A project owned by the owner, with a member, a viewer, an extra member to remove, a task and two comments by the member.</summary>
    private static async Task<Fixture> FixtureAsync(IHost host)
    {
        var key = "X" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var owner = TokenOf(Caller.Owner);
        var member = TokenOf(Caller.Member);
        var extra = "extra|" + key;
        async Task Must(string method, string template, Request request, string? token, int status)
        {
            var got = await host.SendAsync(method, template, request, token);
            if (got != status) throw new InvalidOperationException($"fixture {method} {template}: {got}, expected {status}");
        }
        Request On(object? body = null, string? userId = null) => new(new Dictionary<string, string> { ["key"] = key, ["id"] = key + "-001", ["userId"] = userId ?? "" }, null, body);

        await Must("POST", ApiRoutes.Projects, On(new { key, name = "Matrix" }), owner, 201);
        await Must("PUT", ApiRoutes.MemberById, On(new { role = ProjectRoles.Member, name = "Member" }, MemberId), owner, 201);
        await Must("PUT", ApiRoutes.MemberById, On(new { role = ProjectRoles.Viewer, name = "Viewer" }, ViewerId), owner, 201);
        await Must("PUT", ApiRoutes.MemberById, On(new { role = ProjectRoles.Viewer }, extra), owner, 201);
        await Must("POST", ApiRoutes.ProjectTasks, On(new { title = "Matrix task" }), member, 201);
        await Must("POST", ApiRoutes.TaskComments, On(new { body = "First" }), member, 201);
        await Must("POST", ApiRoutes.TaskComments, On(new { body = "Second" }), member, 201);
        await Must("POST", ApiRoutes.TaskFollowups, On(new { body = "Come back to this" }), member, 201);
        // Comments are numbered per project, from 1.
        return new Fixture(key, key + "-001", "CM-1", "CM-2", extra);
    }
}
