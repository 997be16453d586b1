using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Kanbatte.Testing;

/// <summary>
/// An OpenID Connect issuer on a free loopback port, as Entra ID or Auth0 would be: its metadata document and its
/// JWKS with one RSA (RS256) key, and tokens signed with that key. Only on 127.0.0.1, stopped when disposed.
/// </summary>
public sealed class LoopbackIssuer : IAsyncDisposable
{
    public const string Audience = "api://kanbatte-loopback";

    private readonly WebApplication _app;
    private readonly RSA _rsa;

    private LoopbackIssuer(WebApplication app, RSA rsa, Uri address)
    {
        _app = app;
        _rsa = rsa;
        Authority = address;
        SigningKey = new RsaSecurityKey(rsa) { KeyId = "loopback-rsa-1" };
    }

    /// <summary>The issuer's address (also its <c>iss</c>), for <c>Authentication:Schemes:Bearer:Authority</c>.</summary>
    public Uri Authority { get; }
    public string Issuer => Authority.ToString();
    public RsaSecurityKey SigningKey { get; }

    /// <summary>The public key as a PEM file holds it: what an attacker can read, and tries as an HMAC secret.</summary>
    public string PublicKeyPem => _rsa.ExportSubjectPublicKeyInfoPem();

    /// <summary>The settings that make a host accept this issuer's tokens.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Authentication:Schemes:Bearer:Authority"] = Issuer,
        ["Authentication:Schemes:Bearer:ValidIssuer"] = Issuer,
        ["Authentication:Schemes:Bearer:ValidAudiences:0"] = Audience,
    };

    public static async Task<LoopbackIssuer> StartAsync()
    {
        var port = LoopbackPort.Free();
        var address = new Uri($"http://127.0.0.1:{port}/");
        var rsa = RSA.Create(2048);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var issuer = new LoopbackIssuer(app, rsa, address);
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = issuer.SigningKey.KeyId });
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = issuer.Issuer,
            ["jwks_uri"] = new Uri(address, "keys").ToString(),
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        app.MapGet("/keys", () => Results.Json(new Dictionary<string, object>
        {
            ["keys"] = new[] { new Dictionary<string, object> { ["kty"] = jwk.Kty, ["use"] = "sig", ["alg"] = "RS256", ["kid"] = jwk.Kid, ["n"] = jwk.N, ["e"] = jwk.E } },
        }));
        await app.StartAsync();
        return issuer;
    }

    /// <summary>A token of this issuer for <paramref name="userId"/>, signed with <paramref name="credentials"/> (default: its RS256 key).</summary>
    public string Mint(string userId = "loopback-user", SigningCredentials? credentials = null, string? audience = null, string? issuer = null)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience ?? Audience,
            Claims = new Dictionary<string, object> { ["sub"] = userId, ["name"] = "Loopback User" },
            IssuedAt = now.AddMinutes(-1),
            NotBefore = now.AddMinutes(-1),
            Expires = now.AddHours(1),
            SigningCredentials = credentials ?? new SigningCredentials(SigningKey, SecurityAlgorithms.RsaSha256),
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _rsa.Dispose();
    }
}
