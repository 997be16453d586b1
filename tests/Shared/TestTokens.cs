using System.Net.Http.Headers;
using System.Security.Cryptography;
using Kanbatte.Api;
using Microsoft.AspNetCore.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Kanbatte.Testing;

/// <summary>
/// The tests' token issuer: a known HS256 key configured through <c>Authentication:Schemes:Bearer</c> exactly as a user
/// would (settings for in-process hosts, command-line arguments for processes), and tokens minted with it. The default
/// user is an operator, so routes that need one answer as before.
/// </summary>
public static class TestTokens
{
    public const string Issuer = "kanbatte-tests";
    public const string Audience = "kanbatte-tests-api";
    public const string DefaultUserId = "test-user";
    public const string DefaultUserName = "Test User";

    /// <summary>
    /// Fixed, so a process started with <see cref="CommandLine"/> accepts tokens minted here. 512 bits, long enough to
    /// sign HS384 and HS512 tokens with it too, which only the pinned algorithm refuses.
    /// </summary>
    public static readonly byte[] Key = SHA512.HashData("Kanbatte test issuer signing key, never used outside tests"u8);

    public static IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        [$"{BearerSettings.Section}:ValidIssuer"] = Issuer,
        [$"{BearerSettings.Section}:ValidAudiences:0"] = Audience,
        [$"{BearerSettings.Section}:SigningKeys:0:Issuer"] = Issuer,
        [$"{BearerSettings.Section}:SigningKeys:0:Value"] = Convert.ToBase64String(Key),
    };

    /// <summary>The same settings as server arguments (<c>--Authentication:Schemes:Bearer:...=...</c>).</summary>
    public static string[] CommandLine => [.. Settings.Select(s => $"--{s.Key}={s.Value}")];

    /// <summary>A token for the default user, valid for a day.</summary>
    public static string Default { get; } = Mint();

    public static IWebHostBuilder UseTestIssuer(this IWebHostBuilder builder)
    {
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        return builder;
    }

    /// <summary>Sends <paramref name="token"/> (default: the default user's) on every request of <paramref name="client"/>.</summary>
    public static HttpClient WithToken(this HttpClient client, string? token = null)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token ?? Default);
        return client;
    }

    /// <summary><paramref name="token"/> with one claim of its payload changed and its signature kept, as a forger would try.</summary>
    public static string Tampered(string token, string claim = "sub", string value = "someone-else")
    {
        var parts = token.Split('.');
        var payload = System.Text.Json.Nodes.JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject();
        payload[claim] = value;
        return $"{parts[0]}.{Base64UrlEncoder.Encode(payload.ToJsonString())}.{parts[2]}";
    }

    /// <summary>An unsigned token (<c>alg: none</c>) with a valid payload of the test issuer.</summary>
    public static string Unsigned(string userId = DefaultUserId)
    {
        var payload = Mint(userId).Split('.')[1];
        return $"{Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""")}.{payload}.";
    }

    /// <summary>
    /// A token of the test issuer. Every part can be changed to make a bad one: <paramref name="expires"/> and
    /// <paramref name="notBefore"/> relative to now, another issuer, audience or key, extra or replaced claims.
    /// </summary>
    public static string Mint(string? userId = DefaultUserId, string? name = DefaultUserName, bool admin = true,
        TimeSpan? expires = null, TimeSpan? notBefore = null, string issuer = Issuer, string audience = Audience, byte[]? key = null,
        IReadOnlyDictionary<string, object>? claims = null, string algorithm = SecurityAlgorithms.HmacSha256)
    {
        var now = DateTime.UtcNow;
        var all = new Dictionary<string, object>();
        if (userId is not null) all["sub"] = userId;
        if (name is not null) all["name"] = name;
        if (admin) all["roles"] = new[] { Identity.AdminRole };
        foreach (var (claim, value) in claims ?? new Dictionary<string, object>()) all[claim] = value;
        var expiresAt = now + (expires ?? TimeSpan.FromDays(1));
        var notBeforeAt = now + (notBefore ?? TimeSpan.FromMinutes(-1));
        // An expired token was valid once: its not-before lies before its expiry.
        if (notBefore is null && notBeforeAt >= expiresAt) notBeforeAt = expiresAt - TimeSpan.FromHours(1);
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = all,
            IssuedAt = notBeforeAt,
            NotBefore = notBeforeAt,
            Expires = expiresAt,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key ?? Key), algorithm),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }
}
