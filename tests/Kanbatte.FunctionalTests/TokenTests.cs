using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Kanbatte.Api;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Kanbatte.FunctionalTests;

/// <summary>
/// Bearer tokens on the self-hosted server: every route but health and the document refuses a request without a valid
/// token before its handler runs (401 problem, WWW-Authenticate), whatever is wrong with the token; /api/me says who
/// the caller is; and the headers every answer carries.
/// </summary>
public sealed class TokenTests(KanbatteFactory factory) : IClassFixture<KanbatteFactory>
{
    private static readonly OpenApiContract Contract = OpenApiContract.Load();

    /// <summary>Tokens that must be refused, by what is wrong with them.</summary>
    public static TheoryData<string> BadTokens => [.. Bad.Keys];

    private static readonly Dictionary<string, Func<string>> Bad = new()
    {
        ["expired"] = () => TestTokens.Mint(expires: TimeSpan.FromHours(-1)),
        ["not yet valid"] = () => TestTokens.Mint(notBefore: TimeSpan.FromHours(1), expires: TimeSpan.FromHours(2)),
        ["wrong audience"] = () => TestTokens.Mint(audience: "another-api"),
        ["wrong issuer, same key"] = () => TestTokens.Mint(issuer: "someone-else"),
        ["tampered payload"] = () => TestTokens.Tampered(TestTokens.Mint(admin: false)),
        ["tampered role"] = () => TestTokens.Tampered(TestTokens.Mint(admin: false), "roles", Identity.AdminRole),
        ["alg none"] = () => TestTokens.Unsigned(),
        ["alg none, empty signature dropped"] = () => TestTokens.Unsigned().TrimEnd('.'),
        ["another key"] = () => TestTokens.Mint(key: System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        // The right key and a valid signature: only the pinned algorithm refuses it.
        ["HS384 with the right key"] = () => TestTokens.Mint(algorithm: SecurityAlgorithms.HmacSha384),
        ["HS512 with the right key"] = () => TestTokens.Mint(algorithm: SecurityAlgorithms.HmacSha512),
        ["no user id"] = () => TestTokens.Mint(userId: null),
        ["empty user id"] = () => TestTokens.Mint(userId: ""),
        ["user id over 256 characters"] = () => TestTokens.Mint(userId: new string('u', 257)),
        ["user id with a control character"] = () => TestTokens.Mint(userId: "ann\u0007"),
        ["not a JWT"] = () => "not-a-jwt",
        ["two parts"] = () => string.Join('.', TestTokens.Default.Split('.').Take(2)),
    };

    [Fact]
    public async Task A_request_without_a_token_is_a_401_problem_with_www_authenticate_bearer()
    {
        var response = await factory.CreateAnonymousClient().GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.Contains(CorrelationId.Header));
        var body = await response.Content.ReadAsStringAsync();
        var problem = JsonSerializer.Deserialize<JsonElement>(body);
        Assert.Equal((401, "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2"), (problem.GetProperty("status").GetInt32(), problem.GetProperty("type").GetString()));
        Assert.Empty(Contract.Check("GET", "/api/me", response, body));
    }

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_bad_token_is_a_401_problem_naming_an_invalid_token(string what)
    {
        var client = factory.CreateAnonymousClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + Bad[what]());

        var response = await client.GetAsync("/api/me");
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{what}: {(int)response.StatusCode} {body}");
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.StartsWith("error=\"invalid_token\"", challenge.Parameter);
        Assert.Empty(Contract.Check("GET", "/api/me", response, body));
        Assert.StartsWith("The bearer token was refused.", JsonSerializer.Deserialize<JsonElement>(body).GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("expired", "expired")]
    [InlineData("not yet valid", "not valid before")]
    [InlineData("wrong audience", "audience")]
    [InlineData("wrong issuer, same key", "issuer")]
    [InlineData("no user id", "names no user")]
    public async Task The_problem_says_what_is_wrong_with_the_token(string what, string said)
    {
        var response = await factory.CreateClient(Bad[what]()).GetAsync("/api/me");

        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
        Assert.Contains(said, detail, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(said, response.Headers.WwwAuthenticate.Single().Parameter!, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer")]
    [InlineData("bearer-ish token")]
    public async Task Another_scheme_or_no_token_after_bearer_is_answered_as_no_token(string authorization)
    {
        var client = factory.CreateAnonymousClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);

        var response = await client.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task A_token_in_the_query_string_is_not_read()
    {
        var response = await factory.CreateAnonymousClient().GetAsync("/api/me?access_token=" + TestTokens.Default);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    /// <summary>Every route the server maps, by the route table: without a token, 401 before the handler runs, so nothing is written.</summary>
    [Fact]
    public async Task Every_route_but_health_and_the_document_refuses_a_request_without_a_token_and_appends_nothing()
    {
        var client = factory.CreateClient();
        var key = await client.NewProjectAsync("AU");
        var task = (await (await client.PostJsonAsync($"/api/projects/{key}/tasks", new { title = "Target" })).JsonAsync()).GetProperty("id").GetString()!;
        var comment = (await (await client.PostJsonAsync($"/api/tasks/{task}/comments", new { body = "Hi" })).JsonAsync()).GetProperty("id").GetString()!;
        var anonymous = factory.CreateAnonymousClient();
        var expired = factory.CreateClient(Bad["expired"]());
        var events = factory.EventCount;

        var routes = Routes().ToList();
        Assert.True(routes.Count >= 25, $"only {routes.Count} routes read from the server");
        foreach (var (method, template, allowsAnonymous) in routes)
        {
            var path = template.Replace("{key}", key).Replace("{id}", task).Replace("{commentId}", comment);
            foreach (var (who, caller) in new[] { ("no token", anonymous), ("expired token", expired) })
            {
                var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (BodyOf(method, template) is { } body) request.Content = JsonContent.Create(body, options: Http.Json);
                var response = await caller.SendAsync(request);
                var expected = allowsAnonymous ? HttpStatusCode.OK : HttpStatusCode.Unauthorized;
                Assert.True(response.StatusCode == expected, $"{method} {template} with {who}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                if (!allowsAnonymous) Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            }
        }
        Assert.Equal(events, factory.EventCount);
    }

    /// <summary>The function app decides by <see cref="AnonymousRoutes"/>; the server by its endpoints: both name the same requests.</summary>
    [Fact]
    public void The_anonymous_routes_are_exactly_the_servers_allow_anonymous_endpoints()
    {
        var routes = Routes().ToList();
        Assert.Equal(4, routes.Count(r => r.AllowsAnonymous)); // GET and HEAD of health and of the document
        foreach (var (method, template, allowsAnonymous) in routes)
        {
            var http = new DefaultHttpContext();
            http.Request.Method = method;
            http.Request.Path = template.Replace("{key}", "AB").Replace("{id}", "AB-001").Replace("{commentId}", "CM-1");
            Assert.True(AnonymousRoutes.Allows(http.Request) == allowsAnonymous, $"{method} {template}: the server says {allowsAnonymous}");
            http.Request.Path = http.Request.Path.Value!.ToUpperInvariant() + "/";
            Assert.True(AnonymousRoutes.Allows(http.Request) == allowsAnonymous, $"{method} {http.Request.Path}: routing ignores case and a trailing slash");
        }
    }

    [Fact]
    public async Task Health_and_the_document_answer_without_a_token_and_with_a_bad_one()
    {
        foreach (var client in new[] { factory.CreateAnonymousClient(), factory.CreateClient(Bad["tampered payload"]()) })
        foreach (var url in new[] { "/api/health", "/api/openapi.json" })
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(url)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url))).StatusCode);
        }
    }

    [Fact]
    public async Task Me_is_the_caller_the_token_names()
    {
        var me = await (await factory.CreateClient().GetAsync("/api/me")).JsonAsync();
        Assert.Equal((TestTokens.DefaultUserId, TestTokens.DefaultUserName, true),
            (me.GetProperty("id").GetString(), me.GetProperty("name").GetString(), me.GetProperty("admin").GetBoolean()));
        Assert.Equal(["id", "name", "admin"], me.EnumerateObject().Select(p => p.Name));

        var plain = await (await factory.CreateClientFor("bo", "Bo").GetAsync("/api/me")).JsonAsync();
        Assert.False(plain.GetProperty("admin").GetBoolean());
    }

    [Theory]
    [InlineData("auth0|abc")]
    [InlineData("a/b")]
    [InlineData("a#b")]
    [InlineData("a b?c=d&e%20f")]
    [InlineData("ünïcødé 😀")]
    [InlineData("00000000-0000-0000-0000-000000000001")]
    public async Task Any_opaque_user_id_is_the_callers_id(string id)
    {
        var response = await factory.CreateClientFor(id).GetAsync("/api/me");
        var me = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((id, id), (me.GetProperty("id").GetString(), me.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task A_user_id_of_256_characters_is_the_longest_accepted()
    {
        var id = string.Concat(Enumerable.Repeat("auth0|ab", 32));
        Assert.Equal(256, id.Length);

        var me = await (await factory.CreateClientFor(id).GetAsync("/api/me")).JsonAsync();

        Assert.Equal(id, me.GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClientFor(id + "x").GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task The_name_is_name_else_preferred_username_else_the_id_and_only_the_admin_role_makes_an_operator()
    {
        async Task<JsonElement> MeAsync(string token) => await (await factory.CreateClient(token).GetAsync("/api/me")).JsonAsync();

        var preferred = await MeAsync(TestTokens.Mint("u1", name: null, admin: false, claims: new Dictionary<string, object> { ["preferred_username"] = "ann@example.com" }));
        var bare = await MeAsync(TestTokens.Mint("u2", name: null, admin: false));
        var blank = await MeAsync(TestTokens.Mint("u3", name: " ", admin: false, claims: new Dictionary<string, object> { ["preferred_username"] = "cy" }));
        var roles = await MeAsync(TestTokens.Mint("u4", admin: false, claims: new Dictionary<string, object> { ["roles"] = new[] { "Reader", Identity.AdminRole } }));
        var otherRole = await MeAsync(TestTokens.Mint("u5", admin: false, claims: new Dictionary<string, object> { ["roles"] = new[] { "Kanbatte.admin", "Admin" } }));

        Assert.Equal("ann@example.com", preferred.GetProperty("name").GetString());
        Assert.Equal("u2", bare.GetProperty("name").GetString());
        Assert.Equal("cy", blank.GetProperty("name").GetString());
        Assert.True(roles.GetProperty("admin").GetBoolean());
        Assert.False(otherRole.GetProperty("admin").GetBoolean());
    }

    [Fact]
    public async Task The_user_id_claim_is_configurable()
    {
        using var oid = KanbatteFactory.With(new Dictionary<string, string?> { [KanbatteAuthOptions.Section + ":UserIdClaim"] = "oid" });
        var token = TestTokens.Mint("the-sub", admin: false, claims: new Dictionary<string, object> { ["oid"] = "the-object-id" });

        var me = await (await oid.CreateClient(token).GetAsync("/api/me")).JsonAsync();

        Assert.Equal("the-object-id", me.GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await oid.CreateClient(TestTokens.Mint("only-a-sub")).GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task Every_answer_says_nosniff_and_authenticated_ones_are_never_stored_by_shared_caches()
    {
        var client = factory.CreateClient();
        var answers = new Dictionary<string, HttpResponseMessage>
        {
            ["me"] = await client.GetAsync("/api/me"),
            ["list"] = await client.GetAsync("/api/projects"),
            ["not found"] = await client.GetAsync("/api/tasks/ZZ-404"),
            ["no route"] = await client.GetAsync("/api/nothing-here"),
            ["refused"] = await factory.CreateAnonymousClient().GetAsync("/api/projects"),
            ["health"] = await client.GetAsync("/api/health"),
            ["document"] = await client.GetAsync("/api/openapi.json"),
            ["outside the api"] = await client.GetAsync("/nothing-here"),
        };
        foreach (var (what, response) in answers)
            Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var sniff) && sniff.Single() == "nosniff", what);
        foreach (var what in new[] { "me", "list", "not found", "no route", "refused" })
            Assert.True(answers[what].Headers.CacheControl?.NoStore == true, $"{what}: Cache-Control {answers[what].Headers.CacheControl}");
        // Anonymous documents hold nothing of a user's.
        Assert.Null(answers["health"].Headers.CacheControl);
    }

    [Fact]
    public async Task No_token_reaches_the_logs_even_at_trace_level()
    {
        var logs = new CapturingLoggerProvider();
        using var server = new KanbatteFactory();
        using var traced = server.WithWebHostBuilder(b => b.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Trace).AddProvider(logs)));
        var tokens = new[] { TestTokens.Default, Bad["expired"](), Bad["tampered payload"](), Bad["another key"](), Bad["alg none"](), Bad["not a JWT"]() };
        foreach (var token in tokens)
        {
            var client = traced.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            await client.GetAsync("/api/me");
            await client.PostJsonAsync("/api/projects", new { key = "LG", name = "Logged" });
        }

        Assert.NotEmpty(logs.Lines);
        foreach (var token in tokens)
        {
            // Any of its parts would do: the signature proves the token, the payload is the user's.
            var secrets = token.Split('.').Where(p => p.Length >= 8).Append(token);
            Assert.DoesNotContain(logs.Lines, line => secrets.Any(s => line.Contains(s, StringComparison.Ordinal)));
        }
    }

    /// <summary>(method, "/api/..." template, answered without a token) for every endpoint of the server.</summary>
    private IEnumerable<(string Method, string Template, bool AllowsAnonymous)> Routes() =>
        factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m =>
                (m, "/" + e.RoutePattern.RawText!.TrimStart('/'), e.Metadata.GetMetadata<IAllowAnonymous>() is not null)));

    /// <summary>A body the route would accept, so a handler that ran would append: a refusal before it appends nothing.</summary>
    private static object? BodyOf(string method, string template) => (method, template) switch
    {
        ("POST", "/api/projects") => new { key = "AUX", name = "Would be created" },
        ("PATCH", "/api/projects/{key}") => new { name = "Would be renamed" },
        ("POST", "/api/projects/{key}/tasks") => new { title = "Would be created" },
        ("PATCH", "/api/tasks/{id}") => new { title = "Would be renamed" },
        ("POST", "/api/tasks/{id}/move") => new { status = "done" },
        ("POST", "/api/tasks/{id}/comments") => new { body = "Would be added" },
        ("PATCH", "/api/tasks/{id}/comments/{commentId}") => new { body = "Would be edited" },
        ("POST" or "PATCH" or "PUT", _) when !template.EndsWith("/archive", StringComparison.Ordinal) && !template.EndsWith("/restore", StringComparison.Ordinal)
                                           && !template.EndsWith("/redrive", StringComparison.Ordinal) => new { },
        _ => null,
    };
}
