using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Kanbatte.FunctionalTests;

/// <summary>The OpenAPI document: served, describing exactly the server's routes, and matched by real responses.</summary>
public sealed class OpenApiTests(KanbatteFactory factory) : IClassFixture<KanbatteFactory>
{
    private static readonly OpenApiContract Contract = OpenApiContract.Load();
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task The_document_is_served_and_is_the_one_kept_in_the_repository()
    {
        var response = await _client.GetAsync("/api/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var served = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(OpenApiContract.EmbeddedDocument(), served);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(RepositoryRoot(), "src", "Kanbatte.Api", "openapi.json")), served);

        var document = JsonSerializer.Deserialize<JsonElement>(served);
        Assert.StartsWith("3.1.", document.GetProperty("openapi").GetString());
        Assert.Equal("/api", Contract.BasePath);
        Assert.Empty(UnresolvedRefs(document, document));
    }

    [Fact]
    public void The_document_declares_exactly_the_routes_the_server_maps()
    {
        var routes = ServerRoutes.Of(factory.Services.GetRequiredService<EndpointDataSource>()).ToHashSet();
        var documented = Contract.Operations;

        var undocumented = routes.Except(documented).Select(r => $"{r.Method} {r.Template}").Order().ToList();
        var unserved = documented.Except(routes).Select(r => $"{r.Method} {r.Template}").Order().ToList();
        Assert.True(undocumented.Count == 0 && unserved.Count == 0,
            $"Routes the document lacks: [{string.Join(", ", undocumented)}]; documented routes the server lacks: [{string.Join(", ", unserved)}].");
        Assert.True(routes.Count >= 20, $"Only {routes.Count} routes were read from the server.");
    }

    [Fact]
    public void Every_operation_is_named_once_and_declares_its_path_parameters()
    {
        var problems = new List<string>();
        var operationIds = new List<string>();
        foreach (var path in Contract.Root.GetProperty("paths").EnumerateObject())
        {
            var inTemplate = System.Text.RegularExpressions.Regex.Matches(path.Name, @"\{([^}]+)\}").Select(m => m.Groups[1].Value).ToHashSet();
            var shared = PathParameters(path.Value);
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name != "parameters"))
            {
                if (operation.Value.TryGetProperty("operationId", out var id)) operationIds.Add(id.GetString()!);
                else problems.Add($"{operation.Name} {path.Name} has no operationId.");
                var declared = shared.Concat(PathParameters(operation.Value)).ToHashSet();
                if (!declared.SetEquals(inTemplate))
                    problems.Add($"{operation.Name} {path.Name} declares path parameters [{string.Join(", ", declared)}], the template has [{string.Join(", ", inTemplate)}].");
            }
        }
        Assert.NotEmpty(operationIds); // a document without operations would pass the loop above
        problems.AddRange(operationIds.GroupBy(i => i).Where(g => g.Count() > 1).Select(g => $"operationId {g.Key} is used {g.Count()} times."));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static IEnumerable<string> PathParameters(JsonElement owner) =>
        owner.TryGetProperty("parameters", out var parameters)
            ? parameters.EnumerateArray().Select(Contract.Resolve).Where(p => p.GetProperty("in").GetString() == "path").Select(p => p.GetProperty("name").GetString()!)
            : [];

    [Fact]
    public void The_schemas_catch_a_wrong_response()
    {
        // Guards the guard: a strict schema refuses a missing field, an unknown field and a non-nullable null.
        var project = Contract.Root.GetProperty("components").GetProperty("schemas").GetProperty("Project");
        var good = JsonSerializer.SerializeToElement(new
        {
            key = "AB", name = "n", description = (string?)null, repository = (string?)null, version = 1,
            createdAt = "2026-11-26T07:19:16.560Z", updatedAt = "2026-11-26T07:19:16.560Z",
        });
        Assert.Empty(Contract.Evaluate(project, good));
        foreach (var bad in new[]
                 {
                     """{"key":"AB","name":"n","description":null,"repository":null,"version":1,"createdAt":"2026-11-26T07:19:16.560Z"}""",
                     """{"key":"AB","name":"n","description":null,"repository":null,"version":1,"createdAt":"2026-11-26T07:19:16.560Z","updatedAt":"2026-11-26T07:19:16.560Z","extra":1}""",
                     """{"key":"AB","name":null,"description":null,"repository":null,"version":1,"createdAt":"2026-11-26T07:19:16.560Z","updatedAt":"2026-11-26T07:19:16.560Z"}""",
                     """{"key":"AB","name":"n","description":null,"repository":null,"version":1,"createdAt":"2026-11-26 07:19","updatedAt":"2026-11-26T07:19:16.560Z"}""",
                 })
            Assert.NotEmpty(Contract.Evaluate(project, JsonSerializer.Deserialize<JsonElement>(bad)));
    }

    [Fact]
    public async Task Real_responses_of_every_route_match_the_document()
    {
        var run = new Run(_client);
        var key = "OA" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var other = key[..^1] + (key[^1] == 'Z' ? 'Y' : 'Z');

        await run.SendAsync(HttpMethod.Get, "/api/health");
        await run.SendAsync(HttpMethod.Get, "/api/openapi.json");
        await run.SendAsync(HttpMethod.Get, "/api/me");
        // The operators' routes: an operator, and anyone else refused.
        var operatorClient = factory.CreateClientFor("oa-operator", "Operator", admin: true);
        await run.SendAsync(HttpMethod.Get, "/api/admin/dead-letters", by: operatorClient);
        await run.SendAsync(HttpMethod.Get, "/api/admin/dead-letters", expected: HttpStatusCode.Forbidden, by: factory.CreateClientFor("oa-plain", "Not an operator"));
        await run.SendAsync(HttpMethod.Post, "/api/admin/dead-letters/redrive", null, by: operatorClient);
        await run.SendAsync(HttpMethod.Get, "/api/admin/projects?owned=false", by: operatorClient);
        await run.SendAsync(HttpMethod.Get, "/api/admin/projects?owned=true", expected: HttpStatusCode.BadRequest, by: operatorClient);

        // Projects: create (with an idempotent replay and a reused key), conflict, invalid, list, read, change, stale change.
        var idem = Guid.NewGuid().ToString();
        var createBody = new { key, name = "OpenAPI", description = "Contract", repository = "https://example.com/r" };
        await run.SendAsync(HttpMethod.Post, "/api/projects", createBody, HttpStatusCode.Created, idempotencyKey: idem);
        var replay = await run.SendAsync(HttpMethod.Post, "/api/projects", createBody, HttpStatusCode.Created, idempotencyKey: idem);
        Assert.Equal("true", replay.Response.Headers.GetValues("Idempotent-Replayed").Single());
        await run.SendAsync(HttpMethod.Post, "/api/projects", new { key, name = "Other" }, HttpStatusCode.UnprocessableEntity, idempotencyKey: idem);
        await run.SendAsync(HttpMethod.Post, "/api/projects", new { key, name = "Again" }, HttpStatusCode.Conflict);
        await run.SendAsync(HttpMethod.Post, "/api/projects", new { key = "bad", name = "" }, HttpStatusCode.BadRequest);
        await run.SendAsync(HttpMethod.Post, "/api/projects", new { key = other, name = "Second" }, HttpStatusCode.Created);
        var firstPage = await run.SendAsync(HttpMethod.Get, "/api/projects?limit=1");
        await run.SendAsync(HttpMethod.Get, "/api/projects?limit=1&continuationToken=" + Uri.EscapeDataString(firstPage.Body.GetProperty("continuationToken").GetString()!));
        await run.SendAsync(HttpMethod.Get, "/api/projects?limit=0", expected: HttpStatusCode.BadRequest);
        await run.SendAsync(HttpMethod.Get, $"/api/projects/{key}");
        await run.SendAsync(HttpMethod.Get, "/api/projects/NOPE9", expected: HttpStatusCode.NotFound);
        await run.SendAsync(HttpMethod.Patch, $"/api/projects/{key}", new { name = "Renamed", description = (string?)null }, ifMatch: "\"1\"");
        await run.SendAsync(HttpMethod.Patch, $"/api/projects/{key}", new { name = "Stale" }, HttpStatusCode.PreconditionFailed, ifMatch: "\"1\"");
        await run.SendAsync(HttpMethod.Patch, $"/api/projects/{key}", new { name = 5 }, HttpStatusCode.BadRequest);

        // Members: list, add (and add again), change a role, remove; the refusals: a bad role, the last owner, a viewer, a stranger.
        var viewer = factory.CreateClientFor("oa-viewer|1", "Viewer");
        await run.SendAsync(HttpMethod.Get, $"/api/projects/{key}/members");
        await run.SendAsync(HttpMethod.Put, $"/api/projects/{key}/members/ann", new { role = "member", name = "Ann" }, HttpStatusCode.Created);
        await run.SendAsync(HttpMethod.Put, $"/api/projects/{key}/members/ann", new { role = "member" });
        await run.SendAsync(HttpMethod.Put, $"/api/projects/{key}/members/{Uri.EscapeDataString("oa-viewer|1")}", new { role = "viewer" }, HttpStatusCode.Created);
        await run.SendAsync(HttpMethod.Put, $"/api/projects/{key}/members/bo", new { role = "owner" }, HttpStatusCode.Created);
        await run.SendAsync(HttpMethod.Put, $"/api/projects/{key}/members/bo", new { role = "viewer" });
        await run.SendAsync(HttpMethod.Put, $"/api/projects/{key}/members/bo", new { role = "boss" }, HttpStatusCode.BadRequest);
        await run.SendAsync(HttpMethod.Delete, $"/api/projects/{key}/members/bo", expected: HttpStatusCode.NoContent);
        await run.SendAsync(HttpMethod.Delete, $"/api/projects/{key}/members/bo", expected: HttpStatusCode.NotFound);
        await run.SendAsync(HttpMethod.Put, $"/api/projects/{key}/members/{TestTokens.DefaultUserId}", new { role = "member" }, HttpStatusCode.Conflict);
        await run.SendAsync(HttpMethod.Put, $"/api/projects/{key}/members/cy", new { role = "member" }, HttpStatusCode.Forbidden, by: viewer);
        await run.SendAsync(HttpMethod.Get, $"/api/projects/{key}/members", by: viewer);
        await run.SendAsync(HttpMethod.Get, $"/api/projects/{key}/members", expected: HttpStatusCode.NotFound, by: operatorClient);
        await run.SendAsync(HttpMethod.Put, $"/api/projects/{key}/members/cy", new { role = "owner" }, HttpStatusCode.Forbidden, by: operatorClient);

        // Tasks: create with every field and with the least, list with filters and pages, read now and as it was.
        var t1 = (await run.SendAsync(HttpMethod.Post, $"/api/projects/{key}/tasks",
            new { title = "Write the spec", description = "All of it", priority = "high", assignee = "ann", labels = new[] { "api", "docs" }, dueDate = "2026-12-24" },
            HttpStatusCode.Created, idempotencyKey: Guid.NewGuid().ToString())).Body;
        var id1 = t1.GetProperty("id").GetString()!;
        var id2 = (await run.SendAsync(HttpMethod.Post, $"/api/projects/{key}/tasks", new { title = "Test it" }, HttpStatusCode.Created)).Body.GetProperty("id").GetString()!;
        var id3 = (await run.SendAsync(HttpMethod.Post, $"/api/projects/{key}/tasks", new { title = "Ship it", status = "in_progress" }, HttpStatusCode.Created)).Body.GetProperty("id").GetString()!;
        await run.SendAsync(HttpMethod.Post, $"/api/projects/{key}/tasks", new { title = "" }, HttpStatusCode.BadRequest);
        await run.SendAsync(HttpMethod.Post, "/api/projects/NOPE9/tasks", new { title = "Lost" }, HttpStatusCode.NotFound);
        await run.SendAsync(HttpMethod.Post, $"/api/projects/{key}/tasks", new { title = "Not a viewer's to make" }, HttpStatusCode.Forbidden, by: viewer);
        await run.SendAsync(HttpMethod.Post, $"/api/projects/{key}/tasks", new { title = "Nobody's", assignee = "nobody" }, HttpStatusCode.BadRequest);
        var tasks = await run.SendAsync(HttpMethod.Get, $"/api/projects/{key}/tasks?status=todo,in_progress&sort=-priority&limit=1");
        await run.SendAsync(HttpMethod.Get, $"/api/projects/{key}/tasks?status=todo,in_progress&sort=-priority&limit=1&continuationToken="
                                            + Uri.EscapeDataString(tasks.Body.GetProperty("continuationToken").GetString()!));
        await run.SendAsync(HttpMethod.Get, $"/api/projects/{key}/tasks?priority=high&assignee=ann&label=api&q=SPEC&sort=dueDate");
        await run.SendAsync(HttpMethod.Get, $"/api/projects/{key}/tasks?sort=bogus&archived=maybe", expected: HttpStatusCode.BadRequest);
        await run.SendAsync(HttpMethod.Get, "/api/projects/NOPE9/tasks", expected: HttpStatusCode.NotFound);
        await run.SendAsync(HttpMethod.Get, $"/api/tasks/{id1}");
        await run.SendAsync(HttpMethod.Get, $"/api/tasks/{id1}?version=1");
        await run.SendAsync(HttpMethod.Get, $"/api/tasks/{id1}?asOf=" + Uri.EscapeDataString(t1.GetProperty("createdAt").GetString()!));
        await run.SendAsync(HttpMethod.Get, $"/api/tasks/{id1}?asOf=2000-01-01T00:00:00Z", expected: HttpStatusCode.NotFound);
        await run.SendAsync(HttpMethod.Get, $"/api/tasks/{id1}?version=0", expected: HttpStatusCode.BadRequest);
        await run.SendAsync(HttpMethod.Get, $"/api/tasks/{key}-999", expected: HttpStatusCode.NotFound);

        // Changes, moves, archive and restore, each with its refusals.
        await run.SendAsync(HttpMethod.Patch, $"/api/tasks/{id1}", new { status = "in_progress", assignee = (string?)null, dueDate = "2027-01-01" }, ifMatch: "\"1\"");
        await run.SendAsync(HttpMethod.Patch, $"/api/tasks/{id1}", new { title = "Stale" }, HttpStatusCode.PreconditionFailed, ifMatch: "\"1\"");
        await run.SendAsync(HttpMethod.Patch, $"/api/tasks/{id1}", new { title = 5, colour = "red" }, HttpStatusCode.BadRequest);
        await run.SendAsync(HttpMethod.Patch, $"/api/tasks/{key}-999", new { title = "Lost" }, HttpStatusCode.NotFound);
        await run.SendAsync(HttpMethod.Post, $"/api/tasks/{id3}/move", new { after = id1 }, idempotencyKey: Guid.NewGuid().ToString());
        await run.SendAsync(HttpMethod.Post, $"/api/tasks/{id3}/move", new { status = "done", before = $"{key}-999" }, HttpStatusCode.BadRequest);
        await run.SendAsync(HttpMethod.Post, $"/api/tasks/{id3}/move", new { status = "done" }, HttpStatusCode.PreconditionFailed, ifMatch: "\"1\"");
        await run.SendAsync(HttpMethod.Post, $"/api/tasks/{key}-999/move", new { status = "done" }, HttpStatusCode.NotFound);
        await run.SendAsync(HttpMethod.Post, $"/api/tasks/{id2}/archive", null, ifMatch: "\"1\"");
        await run.SendAsync(HttpMethod.Get, $"/api/projects/{key}/tasks?archived=true");
        await run.SendAsync(HttpMethod.Post, $"/api/tasks/{id2}/restore", null);
        await run.SendAsync(HttpMethod.Post, $"/api/tasks/{id2}/restore", null, HttpStatusCode.PreconditionFailed, ifMatch: "\"1\"");
        await run.SendAsync(HttpMethod.Post, $"/api/tasks/{key}-999/archive", null, HttpStatusCode.NotFound);
        await run.SendAsync(HttpMethod.Post, $"/api/tasks/{key}-999/restore", null, HttpStatusCode.NotFound);

        // Comments: add (the author is the caller; one named in the body is refused), list, edit, delete, and the refusals.
        var c1 = (await run.SendAsync(HttpMethod.Post, $"/api/tasks/{id1}/comments", new { body = "Looks good" }, HttpStatusCode.Created)).Body.GetProperty("id").GetString()!;
        await run.SendAsync(HttpMethod.Post, $"/api/tasks/{id1}/comments", new { body = "Signed", author = "bo" }, HttpStatusCode.BadRequest);
        await run.SendAsync(HttpMethod.Patch, $"/api/tasks/{id1}/comments/{c1}", new { body = "Not yours" }, HttpStatusCode.Forbidden, by: viewer);
        var c2 = (await run.SendAsync(HttpMethod.Post, $"/api/tasks/{id1}/comments", new { body = "Anonymous" }, HttpStatusCode.Created, idempotencyKey: Guid.NewGuid().ToString())).Body.GetProperty("id").GetString()!;
        await run.SendAsync(HttpMethod.Post, $"/api/tasks/{id1}/comments", new { body = " " }, HttpStatusCode.BadRequest);
        await run.SendAsync(HttpMethod.Post, $"/api/tasks/{key}-999/comments", new { body = "Lost" }, HttpStatusCode.NotFound);
        await run.SendAsync(HttpMethod.Patch, $"/api/tasks/{id1}/comments/{c1}", new { body = "Looks great" });
        await run.SendAsync(HttpMethod.Patch, $"/api/tasks/{id1}/comments/{c1}", new { body = "" }, HttpStatusCode.BadRequest);
        await run.SendAsync(HttpMethod.Patch, $"/api/tasks/{id1}/comments/CM-99999", new { body = "Lost" }, HttpStatusCode.NotFound);
        await run.SendAsync(HttpMethod.Get, $"/api/tasks/{id1}/comments?limit=1");
        await run.SendAsync(HttpMethod.Get, $"/api/tasks/{key}-999/comments", expected: HttpStatusCode.NotFound);
        await run.SendAsync(HttpMethod.Get, $"/api/tasks/{id1}/comments?continuationToken=forged", expected: HttpStatusCode.BadRequest);
        await run.SendAsync(HttpMethod.Delete, $"/api/tasks/{id1}/comments/{c2}", expected: HttpStatusCode.NoContent);
        await run.SendAsync(HttpMethod.Delete, $"/api/tasks/{id1}/comments/{c2}", expected: HttpStatusCode.NotFound);

        // Followups: add, resolve, list the task's and the project's open ones, and the refusals.
        var f1 = (await run.SendAsync(HttpMethod.Post, $"/api/tasks/{id1}/followups", new { body = "Check the benchmark again" }, HttpStatusCode.Created, idempotencyKey: Guid.NewGuid().ToString())).Body.GetProperty("id").GetString()!;
        await run.SendAsync(HttpMethod.Post, $"/api/tasks/{id1}/followups", new { body = "Another one" }, HttpStatusCode.Created);
        await run.SendAsync(HttpMethod.Post, $"/api/tasks/{id1}/followups", new { body = " " }, HttpStatusCode.BadRequest);
        await run.SendAsync(HttpMethod.Post, $"/api/tasks/{id1}/followups", new { body = "Not a viewer's" }, HttpStatusCode.Forbidden, by: viewer);
        await run.SendAsync(HttpMethod.Patch, $"/api/tasks/{id1}/followups/{f1}", new { status = "resolved" });
        await run.SendAsync(HttpMethod.Patch, $"/api/tasks/{id1}/followups/{f1}", new { status = "done" }, HttpStatusCode.BadRequest);
        await run.SendAsync(HttpMethod.Patch, $"/api/tasks/{id1}/followups/FU-99999", new { status = "resolved" }, HttpStatusCode.NotFound);
        await run.SendAsync(HttpMethod.Get, $"/api/tasks/{id1}/followups?limit=1");
        await run.SendAsync(HttpMethod.Get, $"/api/projects/{key}/followups?status=open");
        await run.SendAsync(HttpMethod.Get, $"/api/projects/{key}/followups?status=bogus", expected: HttpStatusCode.BadRequest);
        await run.SendAsync(HttpMethod.Head, $"/api/tasks/{id1}/followups");
        await run.SendAsync(HttpMethod.Head, $"/api/projects/{key}/followups");

        // History, activity and the board, now and as of a time; every event type appears in them.
        var history = await run.SendAsync(HttpMethod.Get, $"/api/tasks/{id1}/history");
        await run.SendAsync(HttpMethod.Get, $"/api/tasks/{id3}/history?limit=1");
        await run.SendAsync(HttpMethod.Get, $"/api/tasks/{id2}/history");
        await run.SendAsync(HttpMethod.Get, $"/api/tasks/{key}-999/history", expected: HttpStatusCode.NotFound);
        await run.SendAsync(HttpMethod.Get, $"/api/tasks/{id1}/history?limit=101", expected: HttpStatusCode.BadRequest);
        var activity = await run.SendAsync(HttpMethod.Get, $"/api/projects/{key}/activity?limit=100");
        await run.SendAsync(HttpMethod.Get, $"/api/projects/{key}/activity?limit=2");
        await run.SendAsync(HttpMethod.Get, "/api/projects/NOPE9/activity", expected: HttpStatusCode.NotFound);
        await run.SendAsync(HttpMethod.Get, $"/api/projects/{key}/activity?continuationToken=forged", expected: HttpStatusCode.BadRequest);
        await run.SendAsync(HttpMethod.Get, $"/api/projects/{key}/board");
        await run.SendAsync(HttpMethod.Get, $"/api/projects/{key}/board?limit=1&asOf=" + Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O")));
        await run.SendAsync(HttpMethod.Get, $"/api/projects/{key}/board?asOf=yesterday", expected: HttpStatusCode.BadRequest);
        await run.SendAsync(HttpMethod.Get, "/api/projects/NOPE9/board", expected: HttpStatusCode.NotFound);

        // The changes feed: a first pull in pages, a pull with its cursor, the refusals; the push channel's negotiate.
        var pull = await run.SendAsync(HttpMethod.Get, $"/api/projects/{key}/changes?limit=3");
        var cursor = Uri.EscapeDataString(pull.Body.GetProperty("cursor").GetString()!);
        await run.SendAsync(HttpMethod.Get, $"/api/projects/{key}/changes?since={cursor}&limit=1000");
        await run.SendAsync(HttpMethod.Head, $"/api/projects/{key}/changes?since={cursor}");
        await run.SendAsync(HttpMethod.Get, $"/api/projects/{key}/changes?since=forged", expected: HttpStatusCode.BadRequest);
        await run.SendAsync(HttpMethod.Get, $"/api/projects/{key}/changes?limit=1001", expected: HttpStatusCode.BadRequest);
        await run.SendAsync(HttpMethod.Get, "/api/projects/NOPE9/changes", expected: HttpStatusCode.NotFound);
        await run.SendAsync(HttpMethod.Post, "/api/hub/negotiate?negotiateVersion=1", null);

        // HEAD on every GET route (the GET's status and headers, no body), unknown query parameters, a body that is not JSON.
        foreach (var url in new[]
                 {
                     "/api/health", "/api/openapi.json", "/api/me", "/api/projects", $"/api/projects/{key}", $"/api/projects/{key}/board", $"/api/projects/{key}/members",
                     $"/api/projects/{key}/activity", $"/api/projects/{key}/tasks?status=todo", $"/api/tasks/{id1}", $"/api/tasks/{id1}/comments", $"/api/tasks/{id1}/history",
                 })
            await run.SendAsync(HttpMethod.Head, url);
        await run.SendAsync(HttpMethod.Head, "/api/admin/dead-letters", by: operatorClient);
        await run.SendAsync(HttpMethod.Head, "/api/admin/projects?owned=false", by: operatorClient);
        await run.SendAsync(HttpMethod.Head, $"/api/tasks/{key}-999", expected: HttpStatusCode.NotFound);
        await run.SendAsync(HttpMethod.Head, "/api/projects?limit=0", expected: HttpStatusCode.BadRequest);
        await run.SendAsync(HttpMethod.Get, "/api/health?verbose=1", expected: HttpStatusCode.BadRequest);
        await run.SendAsync(HttpMethod.Get, "/api/openapi.json?format=yaml", expected: HttpStatusCode.BadRequest);
        await run.SendAsync(HttpMethod.Get, $"/api/projects/{key}/tasks?assigne=ann", expected: HttpStatusCode.BadRequest);
        await run.SendAsync(HttpMethod.Get, "/api/admin/dead-letters?limit=0", expected: HttpStatusCode.BadRequest, by: operatorClient);
        await run.SendAsync(HttpMethod.Post, "/api/admin/dead-letters/redrive?all=true", null, HttpStatusCode.BadRequest, by: operatorClient);
        await run.SendAsync(HttpMethod.Post, $"/api/projects/{key}/tasks", new { title = "Plain text" }, HttpStatusCode.UnsupportedMediaType, contentType: "text/plain");
        await run.SendAsync(HttpMethod.Patch, $"/api/tasks/{id1}/comments/{c1}", new { body = "XML" }, HttpStatusCode.UnsupportedMediaType, contentType: "application/xml");

        var eventTypes = history.Body.GetProperty("items").EnumerateArray().Concat(activity.Body.GetProperty("items").EnumerateArray())
            .Select(i => i.GetProperty("type").GetString()!).ToHashSet();
        var declaredTypes = Contract.Root.GetProperty("components").GetProperty("schemas").GetProperty("EventType").GetProperty("enum")
            .EnumerateArray().Select(e => e.GetString()!).ToHashSet();
        Assert.True(declaredTypes.SetEquals(eventTypes), $"Events seen: {string.Join(", ", eventTypes.Order())}; declared: {string.Join(", ", declaredTypes.Order())}.");

        Assert.True(run.Failures.Count == 0, $"{run.Failures.Count} responses do not match the OpenAPI document:\n" + string.Join("\n", run.Failures));

        // Every documented operation was answered successfully at least once, and the main refusals were seen.
        var unexercised = Contract.Operations.Where(o => !run.Seen.Any(s => s.Method == o.Method && s.Template == o.Template && s.Status < 300))
            .Select(o => $"{o.Method} {o.Template}").ToList();
        Assert.True(unexercised.Count == 0, "Operations never answered successfully: " + string.Join(", ", unexercised));
        Assert.Superset(new HashSet<int> { 200, 201, 204, 400, 403, 404, 409, 412, 422 }, run.Seen.Select(s => s.Status).ToHashSet());
    }

    /// <summary>Sends requests, checks each response against the document and notes which (method, template, status) it saw.</summary>
    private sealed class Run(HttpClient client)
    {
        public List<string> Failures { get; } = [];
        public HashSet<(string Method, string Template, int Status)> Seen { get; } = [];

        public async Task<(HttpResponseMessage Response, JsonElement Body)> SendAsync(
            HttpMethod method, string url, object? body = null, HttpStatusCode expected = HttpStatusCode.OK, string? ifMatch = null, string? idempotencyKey = null,
            string contentType = "application/json", HttpClient? by = null)
        {
            var request = new HttpRequestMessage(method, url);
            if (body is not null)
                request.Content = new StringContent(JsonSerializer.Serialize(body, Http.Json), Encoding.UTF8, contentType);
            if (ifMatch is not null) request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(ifMatch));
            if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
            var response = await (by ?? client).SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var path = new Uri(client.BaseAddress!, url).AbsolutePath;
            // A wrong status fails here at once: the rest of the script depends on it.
            Assert.True(response.StatusCode == expected, $"{method} {url}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
            Failures.AddRange(Contract.Check(method.Method, path, response, text));
            if (body is not null && response.IsSuccessStatusCode)
                Failures.AddRange(Contract.CheckAcceptedRequest(method.Method, path, JsonSerializer.SerializeToElement(body, Http.Json)));
            if (Contract.TemplateOf(path) is { } template) Seen.Add((method.Method, Contract.BasePath + template, (int)response.StatusCode));
            return (response, text.Length > 0 && response.Content.Headers.ContentType?.MediaType?.EndsWith("json", StringComparison.Ordinal) == true
                ? JsonSerializer.Deserialize<JsonElement>(text) : default);
        }
    }

    /// <summary>Every <c>$ref</c> in the document that names nothing in it.</summary>
    private static IEnumerable<string> UnresolvedRefs(JsonElement root, JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p =>
            p.Name == "$ref" && p.Value.ValueKind == JsonValueKind.String
                ? Resolves(root, p.Value.GetString()!) ? [] : [p.Value.GetString()!]
                : UnresolvedRefs(root, p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(e => UnresolvedRefs(root, e)),
        _ => [],
    };

    private static bool Resolves(JsonElement root, string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal)) return false;
        var at = root;
        foreach (var part in reference[2..].Split('/'))
            if (at.ValueKind != JsonValueKind.Object || !at.TryGetProperty(part.Replace("~1", "/").Replace("~0", "~"), out at)) return false;
        return true;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Kanbatte.sln"))) return dir.FullName;
        throw new InvalidOperationException("The repository root (with Kanbatte.sln) was not found above " + AppContext.BaseDirectory);
    }
}
