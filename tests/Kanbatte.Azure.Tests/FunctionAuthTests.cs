using System.Net;
using System.Reflection;
using System.Text;
using Kanbatte.Api;
using Kanbatte.Functions;
using Kanbatte.Functions.Http;
using Kanbatte.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace Kanbatte.Azure.Tests;

/// <summary>
/// Tokens, CORS and the shared headers on the function app: its worker middleware (<see cref="KanbatteRequestMiddleware"/>)
/// and the function classes together, as the worker runs them (<see cref="DirectHttp.CallAsync"/>), answering as the
/// server does.
/// </summary>
public sealed class FunctionAuthTests : IAsyncLifetime
{
    private const string Allowed = "https://app.example.com";
    private FunctionApp _app = null!;

    public async Task InitializeAsync() =>
        _app = await FunctionApp.StartAsync(settings: new Dictionary<string, string?> { [KanbatteCors.OriginsSection + ":0"] = Allowed });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    /// <summary>Every HTTP function: its class, its trigger (methods, route) and its Run method.</summary>
    private static IEnumerable<(Type Type, HttpTriggerAttribute Trigger, MethodInfo Run)> HttpFunctions() =>
        typeof(HealthFunction).Assembly.GetTypes()
            .Select(t => (Type: t, Run: t.GetMethod("Run")))
            .Where(f => f.Run is not null)
            .Select(f => (f.Type, Trigger: f.Run!.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).OfType<HttpTriggerAttribute>().SingleOrDefault(), Run: f.Run!))
            .Where(f => f.Trigger is not null)
            .Select(f => (f.Type, f.Trigger!, f.Run));

    private Task<DirectHttp.Response> CallAsync(Type type, MethodInfo run, HttpRequest request, IReadOnlyDictionary<string, string> routeValues)
    {
        var function = ActivatorUtilities.CreateInstance(_app.Services, type);
        var values = run.GetParameters().Skip(1).Select(p => (object)routeValues[p.Name!]).ToArray();
        return DirectHttp.CallAsync(request, r => (Task<IActionResult>)run.Invoke(function, [r, .. values])!);
    }

    private Task<DirectHttp.Response> MeAsync(string token) =>
        DirectHttp.CallAsync(DirectHttp.Request(_app.Services, "GET", "/api/me", token: token), _app.Function<MeFunction>().Run);

    [Fact]
    public async Task Every_http_function_but_health_and_the_document_refuses_a_missing_or_bad_token_before_it_runs()
    {
        Assert.Equal(201, (await DirectHttp.CallAsync(DirectHttp.Request(_app.Services, "POST", "/api/projects", new { key = "FA", name = "Auth" }), _app.Function<CreateProjectFunction>().Run)).Status);
        var events = (await _app.LogAsync()).Count;
        var routeValues = new Dictionary<string, string> { ["key"] = "FA", ["id"] = "FA-001", ["commentId"] = "CM-1", ["userId"] = "u1", ["followupId"] = "FU-1" };
        var functions = HttpFunctions().ToList();
        Assert.True(functions.Count >= 20, $"only {functions.Count} HTTP functions found");

        foreach (var (type, trigger, run) in functions)
        foreach (var method in trigger.Methods!)
        foreach (var (who, token) in new[] { ("no token", DirectHttp.NoToken), ("expired", TestTokens.Mint(expires: TimeSpan.FromHours(-1))), ("alg none", TestTokens.Unsigned()) })
        {
            var path = "/api/" + trigger.Route!.Replace("{key}", "FA").Replace("{id}", "FA-001").Replace("{commentId}", "CM-1").Replace("{userId}", "u1");
            var body = method is "post" or "patch" or "put" ? new { title = "t", name = "n", body = "b", key = "FB" } : null;
            var response = await CallAsync(type, run, DirectHttp.Request(_app.Services, method.ToUpperInvariant(), path, body, token: token), routeValues);
            var anonymous = type == typeof(HealthFunction) || type == typeof(OpenApiFunction);
            // OPTIONS (declared for CORS preflights) is answered by the middleware, token or not, and runs no function.
            var expected = method == "options" ? 204 : anonymous ? 200 : 401;
            Assert.True(response.Status == expected, $"{type.Name} {method} with {who}: {response.Status} {response.Body}");
            if (expected == 401) Assert.StartsWith("Bearer", response.Headers.WWWAuthenticate.ToString());
        }
        Assert.Equal(events, (await _app.LogAsync()).Count);
    }

    /// <summary>The same token gets the same refusal from both hosts: status, WWW-Authenticate, content type and body.</summary>
    [Fact]
    public async Task Refused_tokens_are_answered_byte_for_byte_as_the_server_answers_them()
    {
        using var server = new KanbatteFactory();
        var tokens = new Dictionary<string, string>
        {
            ["none"] = DirectHttp.NoToken,
            ["expired"] = TestTokens.Mint(expires: TimeSpan.FromHours(-1)),
            ["not yet valid"] = TestTokens.Mint(notBefore: TimeSpan.FromHours(1), expires: TimeSpan.FromHours(2)),
            ["wrong audience"] = TestTokens.Mint(audience: "another-api"),
            ["wrong issuer"] = TestTokens.Mint(issuer: "someone-else"),
            ["tampered payload"] = TestTokens.Tampered(TestTokens.Default),
            ["alg none"] = TestTokens.Unsigned(),
            ["HS512, the right key"] = TestTokens.Mint(algorithm: SecurityAlgorithms.HmacSha512),
            ["no user id"] = TestTokens.Mint(userId: null),
            ["user id over 256 characters"] = TestTokens.Mint(userId: new string('u', 257)),
            ["not a JWT"] = "not-a-jwt",
        };
        foreach (var (what, token) in tokens)
        {
            var client = server.CreateAnonymousClient();
            if (token.Length > 0) client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + token);
            var expected = await client.GetAsync("/api/me");
            var actual = await MeAsync(token);

            Assert.Equal((what, 401), (what, (int)expected.StatusCode));
            Assert.Equal((what, expected.Headers.WwwAuthenticate.ToString(), expected.Content.Headers.ContentType?.ToString(), await expected.Content.ReadAsStringAsync()),
                (what, actual.Headers.WWWAuthenticate.ToString(), actual.ContentType, actual.Body));
            Assert.False(string.IsNullOrEmpty(actual.Headers[CorrelationId.Header]), what);
        }
    }

    [Theory]
    [InlineData("auth0|abc")]
    [InlineData("a/b")]
    [InlineData("a#b")]
    [InlineData("ünïcødé 😀")]
    public async Task Me_is_the_caller_the_token_names(string id)
    {
        var me = await MeAsync(TestTokens.Mint(id, "Someone", admin: false));
        var @operator = await MeAsync(TestTokens.Default);

        Assert.Equal((200, id, "Someone", false), (me.Status, me.Json.GetProperty("id").GetString(), me.Json.GetProperty("name").GetString(), me.Json.GetProperty("admin").GetBoolean()));
        Assert.Equal((TestTokens.DefaultUserId, true), (@operator.Json.GetProperty("id").GetString(), @operator.Json.GetProperty("admin").GetBoolean()));
    }

    [Fact]
    public async Task A_function_that_is_not_http_passes_the_middleware_untouched()
    {
        var ran = false;

        await new KanbatteRequestMiddleware().Invoke(new DirectFunctionContext(null, _app.Services), _ =>
        {
            ran = true;
            return Task.CompletedTask;
        });

        Assert.True(ran);
    }

    /// <summary>
    /// What the Functions host hands the worker once a function declares "options" (App Service's own CORS is off): the
    /// middleware answers the preflight itself, without a token and without running the function.
    /// </summary>
    [Fact]
    public async Task A_preflight_is_answered_by_the_middleware_and_no_function_runs()
    {
        var preflight = DirectHttp.Request(_app.Services, "OPTIONS", "/api/projects", new { key = "PF", name = "Preflight" }, token: DirectHttp.NoToken);
        preflight.Headers.Origin = Allowed;
        preflight.Headers.AccessControlRequestMethod = "POST";
        preflight.Headers.AccessControlRequestHeaders = "authorization, content-type, if-match, idempotency-key";
        var plain = DirectHttp.Request(_app.Services, "OPTIONS", "/api/projects", new { key = "PG", name = "Plain" }, token: DirectHttp.NoToken);

        var answered = await DirectHttp.CallAsync(preflight, _app.Function<CreateProjectFunction>().Run);
        var plainAnswer = await DirectHttp.CallAsync(plain, _app.Function<CreateProjectFunction>().Run);

        Assert.Equal((204, 204), (answered.Status, plainAnswer.Status));
        Assert.Equal(Allowed, answered.Headers.AccessControlAllowOrigin.ToString());
        Assert.Superset(new HashSet<string> { "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE" }, Split(answered.Headers.AccessControlAllowMethods));
        Assert.Superset(new HashSet<string> { "authorization", "content-type", "if-match", "idempotency-key" }, Split(answered.Headers.AccessControlAllowHeaders, lower: true));
        Assert.Empty(plainAnswer.Headers.AccessControlAllowOrigin.ToString());
        Assert.Empty(await _app.LogAsync());
    }

    [Fact]
    public async Task Actual_answers_carry_cors_nosniff_and_no_store_as_on_the_server()
    {
        var create = DirectHttp.Request(_app.Services, "POST", "/api/projects", new { key = "CR", name = "Cors" });
        create.Headers.Origin = Allowed;
        var refusedRequest = DirectHttp.Request(_app.Services, "GET", "/api/me", token: DirectHttp.NoToken);
        refusedRequest.Headers.Origin = Allowed;
        var otherOrigin = DirectHttp.Request(_app.Services, "GET", "/api/me");
        otherOrigin.Headers.Origin = "https://evil.example.net";

        var created = await DirectHttp.CallAsync(create, _app.Function<CreateProjectFunction>().Run);
        var refused = await DirectHttp.CallAsync(refusedRequest, _app.Function<MeFunction>().Run);
        var foreign = await DirectHttp.CallAsync(otherOrigin, _app.Function<MeFunction>().Run);
        var health = await DirectHttp.CallAsync(DirectHttp.Request(_app.Services, "GET", "/api/health", token: DirectHttp.NoToken), _app.Function<HealthFunction>().Run);

        Assert.Equal((201, 401, 200, 200), (created.Status, refused.Status, foreign.Status, health.Status));
        foreach (var response in new[] { created, refused })
        {
            Assert.Equal(Allowed, response.Headers.AccessControlAllowOrigin.ToString());
            Assert.Superset(new HashSet<string> { "etag", "location", "x-correlation-id", "www-authenticate" }, Split(response.Headers.AccessControlExposeHeaders, lower: true));
        }
        Assert.Empty(foreign.Headers.AccessControlAllowOrigin.ToString());
        foreach (var response in new[] { created, refused, foreign, health })
            Assert.Equal("nosniff", response.Headers.XContentTypeOptions.ToString());
        foreach (var response in new[] { created, refused, foreign })
            Assert.Equal("no-store", response.Headers.CacheControl.ToString());
        Assert.Empty(health.Headers.CacheControl.ToString());
    }

    [Fact]
    public void Without_an_issuer_the_function_app_refuses_to_start()
    {
        foreach (var (what, settings, said) in new (string, Dictionary<string, string?>, string)[]
                 {
                     ("nothing", new(), "this host has no local one"),
                     ("an authority without an audience", new() { ["Authentication:Schemes:Bearer:Authority"] = "https://login.example.com/t/v2.0", ["Authentication:Schemes:Bearer:ValidIssuer"] = "https://login.example.com/t/v2.0" }, "ValidAudience"),
                 })
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            var refusal = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddKanbatteFunctions(configuration));
            Assert.True(refusal.Message.Contains(said, StringComparison.Ordinal) && refusal.Message.Contains("Authentication:Schemes:Bearer", StringComparison.Ordinal), $"{what}: {refusal.Message}");
        }
    }

    [Fact]
    public async Task With_an_authority_its_tokens_are_accepted_and_hs256_keyed_with_its_public_key_is_refused()
    {
        await using var issuer = await LoopbackIssuer.StartAsync();
        await using var app = await FunctionApp.StartAsync(settings: issuer.Settings, testIssuer: false);
        Task<DirectHttp.Response> Me(string token) => DirectHttp.CallAsync(DirectHttp.Request(app.Services, "GET", "/api/me", token: token), app.Function<MeFunction>().Run);

        var accepted = await Me(issuer.Mint("oid-7"));
        var confused = await Me(issuer.Mint(credentials: new SigningCredentials(
            new SymmetricSecurityKey(Encoding.UTF8.GetBytes(issuer.PublicKeyPem)) { KeyId = issuer.SigningKey.KeyId }, SecurityAlgorithms.HmacSha256)));
        var testIssuers = await Me(TestTokens.Default);

        Assert.Equal((200, "oid-7"), (accepted.Status, accepted.Json.GetProperty("id").GetString()));
        Assert.Equal((401, 401), (confused.Status, testIssuers.Status));
    }

    private static HashSet<string> Split(Microsoft.Extensions.Primitives.StringValues values, bool lower = false) =>
        values.SelectMany(v => v!.Split(',', StringSplitOptions.TrimEntries)).Select(v => lower ? v.ToLowerInvariant() : v).ToHashSet();
}
