using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Kanbatte.CliTests;

/// <summary>
/// A local stand-in of Microsoft Entra ID's token service, on a free loopback port, for the device-code sign-in:
/// the OpenID configuration, the device-code endpoint and the token endpoint (device-code and refresh-token grants)
/// that MSAL calls for an authority <c>http://127.0.0.1:&lt;port&gt;/&lt;tenant&gt;</c>. The access tokens it issues are the
/// tests' issuer's (<see cref="TestTokens"/>), so the server under test accepts them; they last
/// <see cref="AccessTokenLifetime"/>, under MSAL's five-minute margin, so MSAL refreshes them on every later command.
/// </summary>
public sealed class EntraStandIn : IAsyncDisposable
{
    public const string TenantId = "7d2c8f0e-1b2a-4c3d-9e8f-0a1b2c3d4e5f";
    public const string ClientId = "0c1d2e3f-4a5b-6c7d-8e9f-a0b1c2d3e4f5";
    public const string ObjectId = "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9";
    public const string UserName = "Entra User";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, bool> _refreshTokens = new();
    private int _codes;

    private EntraStandIn(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>The authority to sign in with: http on loopback, which the tool accepts for a local stand-in only.</summary>
    public string Authority => new Uri(Address, TenantId).ToString();

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Every request: method, path and its form fields.</summary>
    public ConcurrentQueue<(string Method, string Path, IReadOnlyDictionary<string, string> Form)> Requests { get; } = new();

    /// <summary>The user code of the last device-code request; the sign-in completes once <see cref="Approve"/> is called with it.</summary>
    public string? UserCode { get; private set; }

    private volatile string? _approved;

    public void Approve(string userCode) => _approved = userCode;

    public int Refreshes => Requests.Count(r => r.Form.GetValueOrDefault("grant_type") == "refresh_token");

    /// <summary>Refuse every refresh token issued so far (as when a sign-in is revoked or has expired).</summary>
    public void RevokeRefreshTokens()
    {
        foreach (var token in _refreshTokens.Keys) _refreshTokens[token] = false;
    }

    public static async Task<EntraStandIn> StartAsync()
    {
        var port = LoopbackPort.Free();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var standIn = new EntraStandIn(app, new Uri($"http://127.0.0.1:{port}/"));
        app.Run(standIn.HandleAsync);
        await app.StartAsync();
        return standIn;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var form = request.HasFormContentType
            ? (await request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString())
            : new Dictionary<string, string>();
        var path = request.Path.Value ?? "";
        Requests.Enqueue((request.Method, path, form));
        var tenant = "/" + TenantId;
        var https = new Uri($"https://{Address.Authority}/{TenantId}");

        if (request.Method == "GET" && path.EndsWith("/.well-known/openid-configuration", StringComparison.Ordinal))
        {
            await Json(context, 200, new Dictionary<string, object>
            {
                ["issuer"] = $"{https}/v2.0",
                ["authorization_endpoint"] = $"{https}/oauth2/v2.0/authorize",
                ["token_endpoint"] = $"{https}/oauth2/v2.0/token",
                ["device_authorization_endpoint"] = $"{https}/oauth2/v2.0/devicecode",
                ["jwks_uri"] = $"{https}/discovery/v2.0/keys",
                ["response_types_supported"] = new[] { "code" },
                ["subject_types_supported"] = new[] { "pairwise" },
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
                ["tenant_region_scope"] = "EU",
            });
            return;
        }
        if (request.Method == "POST" && path == tenant + "/oauth2/v2.0/devicecode")
        {
            UserCode = $"KB{Interlocked.Increment(ref _codes):D2}-STAND";
            await Json(context, 200, new Dictionary<string, object>
            {
                ["user_code"] = UserCode,
                ["device_code"] = "device-" + UserCode,
                ["verification_uri"] = new Uri(Address, "devicelogin").ToString(),
                ["expires_in"] = 900,
                ["interval"] = 1,
                ["message"] = $"To sign in, use a web browser to open the page {new Uri(Address, "devicelogin")} and enter the code {UserCode} to authenticate.",
            });
            return;
        }
        if (request.Method == "POST" && path == tenant + "/oauth2/v2.0/token")
        {
            switch (form.GetValueOrDefault("grant_type"))
            {
                // MSAL.NET sends "device_code" to Entra ID; RFC 8628 names it "urn:ietf:params:oauth:grant-type:device_code".
                case "device_code" or "urn:ietf:params:oauth:grant-type:device_code":
                    if (form.GetValueOrDefault("device_code") != "device-" + UserCode)
                        await Error(context, "invalid_grant", "Unknown device code.");
                    else if (_approved != UserCode)
                        await Error(context, "authorization_pending", "The user has not yet finished signing in.");
                    else
                        await Tokens(context, form);
                    return;
                case "refresh_token":
                    if (_refreshTokens.TryGetValue(form.GetValueOrDefault("refresh_token") ?? "", out var valid) && valid)
                        await Tokens(context, form);
                    else
                        await Error(context, "invalid_grant", "AADSTS70008: The refresh token has expired or was revoked.");
                    return;
            }
            await Error(context, "unsupported_grant_type", $"Not a grant this stand-in knows: {form.GetValueOrDefault("grant_type")}.");
            return;
        }
        context.Response.StatusCode = 404;
    }

    private async Task Tokens(HttpContext context, IReadOnlyDictionary<string, string> form)
    {
        var refresh = "refresh-" + Guid.NewGuid().ToString("N");
        _refreshTokens[refresh] = true;
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var idToken = Unsigned(new Dictionary<string, object>
        {
            ["aud"] = ClientId, ["iss"] = $"https://{Address.Authority}/{TenantId}/v2.0", ["iat"] = now, ["nbf"] = now, ["exp"] = now + 3600,
            ["name"] = UserName, ["oid"] = ObjectId, ["preferred_username"] = "entra.user@example.test", ["sub"] = "pairwise-subject",
            ["tid"] = TenantId, ["ver"] = "2.0",
        });
        await Json(context, 200, new Dictionary<string, object>
        {
            ["token_type"] = "Bearer",
            ["scope"] = string.Join(' ', (form.GetValueOrDefault("scope") ?? "").Split(' ').Where(s => s is not ("openid" or "profile" or "offline_access"))),
            ["expires_in"] = (int)AccessTokenLifetime.TotalSeconds,
            ["ext_expires_in"] = (int)AccessTokenLifetime.TotalSeconds,
            // The tests' issuer's token for the user, as the server under test is configured to accept (oid as the user id).
            ["access_token"] = TestTokens.Mint(ObjectId, UserName, admin: false, expires: AccessTokenLifetime,
                claims: new Dictionary<string, object> { ["jti"] = Guid.NewGuid().ToString("N") }),
            ["refresh_token"] = refresh,
            ["id_token"] = idToken,
            ["client_info"] = Base64UrlEncoder.Encode(JsonSerializer.Serialize(new { uid = ObjectId, utid = TenantId })),
        });
    }

    private static string Unsigned(Dictionary<string, object> claims) =>
        $"{Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""")}.{Base64UrlEncoder.Encode(JsonSerializer.Serialize(claims))}.";

    private static Task Error(HttpContext context, string error, string description) =>
        Json(context, 400, new Dictionary<string, object> { ["error"] = error, ["error_description"] = description, ["error_codes"] = new[] { 70000 } });

    private static async Task Json(HttpContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(body), Encoding.UTF8);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
