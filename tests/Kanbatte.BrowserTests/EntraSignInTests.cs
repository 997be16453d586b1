using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kanbatte.BrowserTests;

/// <summary>
/// The web client as deployed to Azure, signing in with Entra ID through MSAL, with nothing leaving this machine: the
/// built client with the configuration infra/hooks/web-config.sh writes, served the way Static Web Apps serves it (its
/// fallback and headers, the Content-Security-Policy included), and stand-ins for Entra ID's endpoints and the API, all
/// answered inside the browser (Playwright routes) under the real addresses' origins. What Entra ID and Static Web Apps
/// themselves do is seen on Azure only.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class EntraSignInTests(Chromium chromium) : IAsyncLifetime
{
    private const string Site = "https://happy-tree-0a1b2c3d4.5.azurestaticapps.net";
    private const string Api = "https://func-abc123.azurewebsites.net";
    private const string SignalR = "https://sigr-abc123.service.signalr.net";
    private const string Login = "https://login.microsoftonline.com";
    private const string Tenant = "3f1c2a9e-5b7d-4e60-9a2b-8c4d6e0f1a23";
    private const string ClientId = "9b0e4d2c-71a3-4f5e-8d6b-2a1c3e5f7091";
    private const string UserId = "5d7c2b1a-0000-4000-8000-00000000a11e";
    private const string Scope = $"api://{ClientId}/access_as_user";

    private readonly DirectoryInfo _service = Directory.CreateTempSubdirectory("kanbatte-web-service-");
    private JsonElement _swaConfig;
    private readonly List<string> _problems = [];
    private readonly List<string> _authorizeRequests = [];
    private readonly List<string> _tokenRequests = [];
    private readonly List<string> _logoutRequests = [];
    private readonly List<string> _apiAuthorizations = [];
    private string? _codeChallenge;
    // How the token endpoint stand-in answers: the lifetime of the access tokens it issues, whether it takes a refresh token.
    private int _lifetime = 3600;
    private bool _refreshAccepted = true;
    private int _issued;

    /// <summary>dist/ of the web service's folder, where azd runs the hook.</summary>
    private string Dist => Path.Combine(_service.FullName, "dist");

    public async Task InitializeAsync()
    {
        // The client the server's build made (wwwroot), configured by the deployment's hook as azd runs it.
        Copy(Path.Combine(AppContext.BaseDirectory, "wwwroot"), Dist);
        var hook = new ProcessStartInfo("sh") { WorkingDirectory = _service.FullName, RedirectStandardError = true, RedirectStandardOutput = true };
        hook.ArgumentList.Add(Path.Combine(RepositoryRoot(), "infra/hooks/web-config.sh"));
        hook.Environment["API_ORIGIN"] = Api;
        hook.Environment["AZURE_SIGNALR_ENDPOINT"] = SignalR;
        hook.Environment["KANBATTE_API_CLIENT_ID"] = ClientId;
        hook.Environment["AUTH_AUTHORITY"] = $"{Login}/{Tenant}";
        using (var process = Process.Start(hook)!)
        {
            var error = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, await error);
        }
        _swaConfig = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Dist, "staticwebapp.config.json"))).RootElement.Clone();
    }

    public Task DisposeAsync()
    {
        _service.Delete(recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Signs_in_with_the_authorization_code_and_PKCE_calls_the_API_with_the_token_and_signs_out()
    {
        var page = await NewPageAsync();

        // A client path: the fallback serves the client, which finds nobody signed in.
        await page.GotoAsync($"{Site}/projects/AI");
        await Expect(page.GetByText("You are not signed in.")).ToBeVisibleAsync();
        Assert.Empty(_apiAuthorizations);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        // Signed in: back on the page that asked, the API called with the access token Entra ID issued.
        await Expect(page.GetByText("Ann Example")).ToBeVisibleAsync();
        Assert.Equal($"{Site}/projects/AI", page.Url);
        var authorize = new Uri(Assert.Single(_authorizeRequests));
        var query = Query(authorize.Query);
        Assert.Equal($"{Login}/{Tenant}/oauth2/v2.0/authorize", authorize.GetLeftPart(UriPartial.Path));
        Assert.Equal(ClientId, query["client_id"]);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal($"{Site}/", query["redirect_uri"]);
        Assert.Contains(Scope, query["scope"].Split(' '));
        Assert.Contains("offline_access", query["scope"].Split(' ')); // the refresh token that renews access tokens
        // The code was redeemed with the verifier whose hash the authorize request carried, from the page's origin.
        var token = Query(Assert.Single(_tokenRequests));
        Assert.Equal("authorization_code", token["grant_type"]);
        Assert.Equal("code-1", token["code"]);
        Assert.Equal(ClientId, token["client_id"]);
        Assert.Equal(_codeChallenge, Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(token["code_verifier"]))));
        Assert.Equal($"{Site}/", token["redirect_uri"]);
        Assert.NotEmpty(_apiAuthorizations);
        Assert.All(_apiAuthorizations, a => Assert.Equal("Bearer access-token-1", a));

        // Tokens live in this tab's sessionStorage, not in localStorage.
        var session = await page.EvaluateAsync<string>("() => JSON.stringify(Object.values(sessionStorage))");
        var local = await page.EvaluateAsync<string>("() => JSON.stringify(Object.values(localStorage))");
        Assert.Contains("access-token-1", session);
        Assert.DoesNotContain("access-token-1", local);
        Assert.DoesNotContain("refresh-token-1", local);

        // A reload keeps the tab signed in without going back to Entra ID.
        await page.ReloadAsync();
        await Expect(page.GetByText("Ann Example")).ToBeVisibleAsync();
        Assert.Single(_authorizeRequests);

        // Sign out: Entra ID's session too, then back to the site, signed out.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByText("You are not signed in.")).ToBeVisibleAsync();
        var logout = new Uri(Assert.Single(_logoutRequests));
        Assert.Equal($"{Login}/{Tenant}/oauth2/v2.0/logout", logout.GetLeftPart(UriPartial.Path));
        Assert.Equal($"{Site}/", Query(logout.Query)["post_logout_redirect_uri"]);
        Assert.DoesNotContain("access-token-1", await page.EvaluateAsync<string>("() => JSON.stringify(Object.values(sessionStorage))"));

        Assert.Empty(_problems); // no Content-Security-Policy violation, no script error, no request to another origin
    }

    [Fact]
    public async Task Access_tokens_are_renewed_with_the_refresh_token_never_in_a_frame_and_a_rejected_one_asks_to_sign_in_again()
    {
        // Tokens that MSAL counts as expired at once (within its five minutes of renewal margin).
        _lifetime = 60;
        var page = await NewPageAsync();
        await page.GotoAsync($"{Site}/");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        // Each renewal went through the refresh token (here at every call, each token being short), and the API only
        // ever saw renewed tokens.
        await Expect(page.GetByText("Ann Example")).ToBeVisibleAsync();
        Assert.Equal("authorization_code", Query(_tokenRequests[0])["grant_type"]);
        Assert.True(_tokenRequests.Count > 1);
        Assert.All(_tokenRequests.Skip(1), t => Assert.Equal("refresh_token", Query(t)["grant_type"]));
        Assert.Equal("refresh-token-1", Query(_tokenRequests[1])["refresh_token"]);
        Assert.NotEmpty(_apiAuthorizations);
        Assert.DoesNotContain("Bearer access-token-1", _apiAuthorizations);

        // Past the refresh token's lifetime: the client shows Sign in instead of trying Entra ID in a hidden frame.
        _refreshAccepted = false;
        await page.ReloadAsync();
        await Expect(page.GetByText("You are not signed in.")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
        Assert.Single(_authorizeRequests); // no prompt=none request: no silent frame
        Assert.Single(page.Frames);
        Assert.Equal("refresh_token", Query(_tokenRequests[^1])["grant_type"]);

        // Signing in again takes one round trip.
        _refreshAccepted = true;
        _lifetime = 3600;
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByText("Ann Example")).ToBeVisibleAsync();
        Assert.Equal(2, _authorizeRequests.Count);

        // The refused renewal is Entra ID's answer, reported by the browser as a failed request; nothing else went wrong.
        Assert.DoesNotContain(_problems, p => !p.Contains("400", StringComparison.Ordinal));
    }

    private async Task<IPage> NewPageAsync()
    {
        var page = await chromium.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error") _problems.Add("console: " + message.Text);
        };
        page.PageError += (_, error) => _problems.Add("page error: " + error);
        // Every request is answered here; one to any other origin is a problem (and fails).
        await page.Context.RouteAsync("**/*", async route =>
        {
            var url = new Uri(route.Request.Url);
            var origin = url.GetLeftPart(UriPartial.Authority);
            if (origin == Site) await StaticWebAppAsync(route, url);
            else if (origin == Login) await EntraIdAsync(route, url);
            else if (origin == Api) await ApiAsync(route, url);
            else
            {
                _problems.Add("request to " + route.Request.Url);
                await route.AbortAsync();
            }
        });
        return page;
    }

    /// <summary>Static Web Apps as the configuration file asks: files, else the fallback; global and route headers.</summary>
    private async Task StaticWebAppAsync(IRoute route, Uri url)
    {
        var path = Uri.UnescapeDataString(url.AbsolutePath);
        var file = Path.Combine(Dist, path.TrimStart('/'));
        var fallback = _swaConfig.GetProperty("navigationFallback");
        var excluded = fallback.GetProperty("exclude").EnumerateArray().Any(e => Glob(e.GetString()!).IsMatch(path));
        if (!File.Exists(file))
        {
            if (excluded || path.EndsWith("staticwebapp.config.json", StringComparison.Ordinal))
            {
                await route.FulfillAsync(new() { Status = 404, Body = "Not found" });
                return;
            }
            file = Path.Combine(Dist, fallback.GetProperty("rewrite").GetString()!.TrimStart('/'));
        }
        var headers = _swaConfig.GetProperty("globalHeaders").EnumerateObject().ToDictionary(h => h.Name, h => h.Value.GetString()!);
        foreach (var rule in _swaConfig.GetProperty("routes").EnumerateArray().Where(r => Glob(r.GetProperty("route").GetString()!).IsMatch(path)))
            foreach (var header in rule.GetProperty("headers").EnumerateObject()) headers[header.Name] = header.Value.GetString()!;
        headers["Content-Type"] = Path.GetExtension(file) switch
        {
            ".html" => "text/html; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            ".json" => "application/json",
            _ => "application/octet-stream",
        };
        await route.FulfillAsync(new() { Status = 200, Headers = headers, BodyBytes = await File.ReadAllBytesAsync(file) });
    }

    /// <summary>Entra ID's v2 endpoints for the tenant, as far as MSAL browser uses them.</summary>
    private async Task EntraIdAsync(IRoute route, Uri url)
    {
        var request = route.Request;
        var cors = new Dictionary<string, string>
        {
            ["Access-Control-Allow-Origin"] = Site,
            ["Access-Control-Allow-Methods"] = "GET, POST",
            ["Access-Control-Allow-Headers"] = request.Headers.GetValueOrDefault("access-control-request-headers", "content-type"),
        };
        var tenantBase = $"{Login}/{Tenant}";
        if (request.Method == "OPTIONS")
        {
            await route.FulfillAsync(new() { Status = 204, Headers = cors });
            return;
        }
        if (url.AbsolutePath.EndsWith("/discovery/instance", StringComparison.Ordinal))
        {
            await Json(route, cors, new
            {
                tenant_discovery_endpoint = $"{tenantBase}/v2.0/.well-known/openid-configuration",
                api_version = "1.1",
                metadata = new[] { new { preferred_network = "login.microsoftonline.com", preferred_cache = "login.windows.net", aliases = new[] { "login.microsoftonline.com", "login.windows.net", "login.microsoft.com", "sts.windows.net" } } },
            });
            return;
        }
        if (url.AbsolutePath == $"/{Tenant}/v2.0/.well-known/openid-configuration")
        {
            await Json(route, cors, new
            {
                token_endpoint = $"{tenantBase}/oauth2/v2.0/token",
                authorization_endpoint = $"{tenantBase}/oauth2/v2.0/authorize",
                end_session_endpoint = $"{tenantBase}/oauth2/v2.0/logout",
                issuer = $"{tenantBase}/v2.0",
                jwks_uri = $"{tenantBase}/discovery/v2.0/keys",
                response_modes_supported = new[] { "query", "fragment", "form_post" },
            });
            return;
        }
        if (url.AbsolutePath == $"/{Tenant}/oauth2/v2.0/authorize")
        {
            // The user signs in; Entra ID sends the code back to the registered redirect URI.
            _authorizeRequests.Add(url.ToString());
            var query = Query(url.Query);
            _codeChallenge = query["code_challenge"];
            var response = $"code=code-1&state={Uri.EscapeDataString(query["state"])}&client_info={ClientInfo()}";
            var back = query.GetValueOrDefault("response_mode") == "query" ? $"{query["redirect_uri"]}?{response}" : $"{query["redirect_uri"]}#{response}";
            await route.FulfillAsync(new() { Status = 302, Headers = new Dictionary<string, string> { ["Location"] = back } });
            return;
        }
        if (url.AbsolutePath == $"/{Tenant}/oauth2/v2.0/token" && request.Method == "POST")
        {
            _tokenRequests.Add(request.PostData ?? "");
            var authorize = Query(new Uri(_authorizeRequests[^1]).Query);
            if (Query(request.PostData ?? "")["grant_type"] == "refresh_token" && !_refreshAccepted)
            {
                // What Entra ID answers once a single-page app's refresh token is past its 24 hours.
                await route.FulfillAsync(new()
                {
                    Status = 400,
                    Headers = new Dictionary<string, string>(cors) { ["Content-Type"] = "application/json" },
                    Body = JsonSerializer.Serialize(new { error = "invalid_grant", error_description = "AADSTS700084: The refresh token was issued to a single page app (SPA), and therefore has a fixed, limited lifetime of 1.00:00:00, which cannot be extended.", error_codes = new[] { 700084 } }),
                });
                return;
            }
            _issued++;
            await Json(route, cors, new
            {
                token_type = "Bearer",
                scope = $"{Scope} openid profile offline_access",
                expires_in = _lifetime,
                ext_expires_in = _lifetime,
                access_token = $"access-token-{_issued}",
                refresh_token = $"refresh-token-{_issued}",
                id_token = IdToken(authorize.GetValueOrDefault("nonce")),
                client_info = ClientInfo(),
            });
            return;
        }
        if (url.AbsolutePath == $"/{Tenant}/oauth2/v2.0/logout")
        {
            _logoutRequests.Add(url.ToString());
            await route.FulfillAsync(new() { Status = 302, Headers = new Dictionary<string, string> { ["Location"] = Query(url.Query)["post_logout_redirect_uri"] } });
            return;
        }
        _problems.Add($"unexpected Entra ID request {request.Method} {url}");
        await route.FulfillAsync(new() { Status = 400, Headers = cors, Body = "{}" });
    }

    /// <summary>The API: who the token's user is and their projects (none), with Kanbatte's CORS for the site.</summary>
    private async Task ApiAsync(IRoute route, Uri url)
    {
        var request = route.Request;
        var cors = new Dictionary<string, string> { ["Access-Control-Allow-Origin"] = Site, ["Vary"] = "Origin" };
        if (request.Method == "OPTIONS")
        {
            cors["Access-Control-Allow-Methods"] = "GET, HEAD, POST, PUT, PATCH, DELETE";
            cors["Access-Control-Allow-Headers"] = "Authorization, Content-Type, If-Match, Idempotency-Key, X-Correlation-Id";
            await route.FulfillAsync(new() { Status = 204, Headers = cors });
            return;
        }
        var authorization = request.Headers.GetValueOrDefault("authorization", "");
        _apiAuthorizations.Add(authorization);
        if (!authorization.StartsWith("Bearer access-token-", StringComparison.Ordinal))
        {
            await route.FulfillAsync(new() { Status = 401, Headers = new Dictionary<string, string>(cors) { ["WWW-Authenticate"] = "Bearer" } });
            return;
        }
        object body = url.AbsolutePath switch
        {
            "/api/me" => new { id = UserId, name = "Ann Example", admin = false },
            "/api/projects" => new { items = Array.Empty<object>(), continuationToken = (string?)null },
            _ => new { },
        };
        await Json(route, cors, body);
    }

    private static Task Json(IRoute route, Dictionary<string, string> headers, object body) =>
        route.FulfillAsync(new() { Status = 200, Headers = new Dictionary<string, string>(headers) { ["Content-Type"] = "application/json" }, Body = JsonSerializer.Serialize(body) });

    private static string ClientInfo() => Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { uid = UserId, utid = Tenant }));

    /// <summary>An ID token as Entra ID shapes it (MSAL reads it, it does not check the signature: the token endpoint is trusted over TLS).</summary>
    private static string IdToken(string? nonce)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { typ = "JWT", alg = "RS256", kid = "test" }));
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new
        {
            aud = ClientId,
            iss = $"{Login}/{Tenant}/v2.0",
            iat = now,
            nbf = now,
            exp = now + 3600,
            name = "Ann Example",
            preferred_username = "ann@example.com",
            oid = UserId,
            sub = "subject-1",
            tid = Tenant,
            nonce,
            ver = "2.0",
        }));
        return $"{header}.{payload}.c2lnbmF0dXJl";
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static Dictionary<string, string> Query(string text) =>
        text.TrimStart('?', '#').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p.Length > 1 ? p[1].Replace('+', ' ') : ""));

    /// <summary>A Static Web Apps path filter (<c>*</c>, <c>{a,b}</c>) as a regular expression.</summary>
    private static Regex Glob(string pattern)
    {
        var expression = Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\{", "(", StringComparison.Ordinal).Replace("}", ")", StringComparison.Ordinal);
        expression = Regex.Replace(expression, @"\(([^)]*)\)", m => "(" + m.Groups[1].Value.Replace(',', '|') + ")");
        return new Regex("^" + expression + "$");
    }

    private static void Copy(string from, string to)
    {
        Assert.True(File.Exists(Path.Combine(from, "index.html")), $"no built client in {from}");
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "infra", "hooks", "web-config.sh"))) return folder.FullName;
        throw new InvalidOperationException("The repository (infra/hooks/web-config.sh) is not above " + AppContext.BaseDirectory);
    }
}
