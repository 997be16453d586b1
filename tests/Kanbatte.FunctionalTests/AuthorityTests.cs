using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Kanbatte.FunctionalTests;

/// <summary>
/// The server configured with an <c>Authority</c> (an OpenID Connect issuer publishing RS256 keys, here on loopback
/// http, which only a loopback address may use): its tokens are accepted; algorithm confusion (HS256 keyed with its
/// public key), unsigned tokens and tokens signed by anyone else are refused.
/// </summary>
public sealed class AuthorityTests : IAsyncLifetime
{
    private LoopbackIssuer _issuer = null!;
    private KanbatteFactory _server = null!;

    public async Task InitializeAsync()
    {
        _issuer = await LoopbackIssuer.StartAsync();
        _server = KanbatteFactory.With(_issuer.Settings, testIssuer: false);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    private Task<HttpResponseMessage> MeAsync(string token) => _server.CreateClient(token).GetAsync("/api/me");

    [Fact]
    public async Task A_token_signed_with_the_issuers_published_key_is_accepted()
    {
        var response = await MeAsync(_issuer.Mint("entra-oid-1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("entra-oid-1", (await response.JsonAsync()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task An_hs256_token_keyed_with_the_issuers_public_key_is_refused()
    {
        var publicKeys = new Dictionary<string, byte[]>
        {
            ["PEM"] = Encoding.UTF8.GetBytes(_issuer.PublicKeyPem),
            ["PEM with a newline"] = Encoding.UTF8.GetBytes(_issuer.PublicKeyPem + "\n"),
            ["DER"] = _issuer.SigningKey.Rsa.ExportSubjectPublicKeyInfo(),
            ["modulus"] = _issuer.SigningKey.Rsa.ExportParameters(false).Modulus!,
        };
        foreach (var (form, bytes) in publicKeys)
        {
            // The kid names the issuer's RSA key, so a validator that let the token pick the algorithm would use it as an HMAC secret.
            var credentials = new SigningCredentials(new SymmetricSecurityKey(bytes) { KeyId = _issuer.SigningKey.KeyId }, SecurityAlgorithms.HmacSha256);
            var response = await MeAsync(_issuer.Mint(credentials: credentials));
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{form}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Unsigned_foreign_and_misaddressed_tokens_are_refused()
    {
        using var other = RSA.Create(2048);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var cases = new Dictionary<string, string>
        {
            ["alg none"] = $"{Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""")}.{_issuer.Mint().Split('.')[1]}.",
            ["another RSA key, same kid"] = _issuer.Mint(credentials: new SigningCredentials(new RsaSecurityKey(other) { KeyId = _issuer.SigningKey.KeyId }, SecurityAlgorithms.RsaSha256)),
            ["an EC key of someone else"] = _issuer.Mint(credentials: new SigningCredentials(new ECDsaSecurityKey(ec) { KeyId = "ec-1" }, SecurityAlgorithms.EcdsaSha256)),
            ["wrong audience"] = _issuer.Mint(audience: "api://someone-else"),
            ["another issuer's name"] = _issuer.Mint(issuer: "https://login.example.com/other/v2.0"),
            ["the test issuer's token"] = TestTokens.Default,
            ["tampered payload"] = TestTokens.Tampered(_issuer.Mint()),
        };
        foreach (var (what, token) in cases)
        {
            var response = await MeAsync(token);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{what}: {(int)response.StatusCode}");
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        }
        Assert.Equal(HttpStatusCode.OK, (await MeAsync(_issuer.Mint())).StatusCode); // the issuer itself still works
    }

    [Fact]
    public void Only_asymmetric_algorithms_of_the_keys_family_verify_a_published_key()
    {
        var token = new JsonWebToken(_issuer.Mint());
        var rsa = new JsonWebKey { Kty = JsonWebAlgorithmsKeyTypes.RSA };
        var oct = new JsonWebKey { Kty = JsonWebAlgorithmsKeyTypes.Octet };
        var parameters = new TokenValidationParameters();

        Assert.True(Kanbatte.Api.TokenAlgorithms.IsAllowed(SecurityAlgorithms.RsaSha256, rsa, token, parameters));
        Assert.True(Kanbatte.Api.TokenAlgorithms.IsAllowed(SecurityAlgorithms.RsaSsaPssSha256, _issuer.SigningKey, token, parameters));
        foreach (var algorithm in new[] { SecurityAlgorithms.HmacSha256, SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.None, "none", "" })
            Assert.False(Kanbatte.Api.TokenAlgorithms.IsAllowed(algorithm, rsa, token, parameters), algorithm);
        Assert.False(Kanbatte.Api.TokenAlgorithms.IsAllowed(SecurityAlgorithms.HmacSha256, oct, token, parameters));
        Assert.True(Kanbatte.Api.TokenAlgorithms.IsAllowed(SecurityAlgorithms.HmacSha256, new Kanbatte.Api.ConfiguredSigningKey(TestTokens.Key, "i"), token, parameters));
        Assert.False(Kanbatte.Api.TokenAlgorithms.IsAllowed(SecurityAlgorithms.RsaSha256, new Kanbatte.Api.ConfiguredSigningKey(TestTokens.Key, "i"), token, parameters));
    }
}
