using Kanbatte.Api;
using Microsoft.Extensions.Configuration;

namespace Kanbatte.FunctionalTests;

/// <summary>
/// Settings that would weaken token checks refuse to start, saying which setting is wrong: JwtBearer validates only what
/// is configured, so an issuer without an audience (or the other way round) would accept tokens meant for others.
/// </summary>
public sealed class AuthConfigurationTests
{
    private const string Bearer = BearerSettings.Section;
    private static readonly string Key = Convert.ToBase64String(TestTokens.Key);

    public static TheoryData<string, string[], string> Refused => new()
    {
        { "an authority alone", [$"{Bearer}:Authority=https://login.example.com/tenant/v2.0"], "ValidIssuer" },
        { "an authority without an audience", [$"{Bearer}:Authority=https://login.example.com/t/v2.0", $"{Bearer}:ValidIssuer=https://login.example.com/t/v2.0"], "ValidAudience" },
        { "an authority without an issuer", [$"{Bearer}:Authority=https://login.example.com/t/v2.0", $"{Bearer}:ValidAudiences:0=api://k"], "ValidIssuer" },
        { "signing keys without an audience", [$"{Bearer}:ValidIssuer=me", $"{Bearer}:SigningKeys:0:Issuer=me", $"{Bearer}:SigningKeys:0:Value={Key}"], "ValidAudience" },
        { "an issuer and audience without any key", [$"{Bearer}:ValidIssuer=me", $"{Bearer}:ValidAudience=api"], "SigningKeys" },
        { "a key of another issuer", [$"{Bearer}:ValidIssuer=me", $"{Bearer}:ValidAudience=api", $"{Bearer}:SigningKeys:0:Issuer=you", $"{Bearer}:SigningKeys:0:Value={Key}"], "'you' is not a ValidIssuer" },
        { "a short key", [$"{Bearer}:ValidIssuer=me", $"{Bearer}:ValidAudience=api", $"{Bearer}:SigningKeys:0:Issuer=me", $"{Bearer}:SigningKeys:0:Value={Convert.ToBase64String(new byte[16])}"], "128 bits" },
        { "a key that is not base64", [$"{Bearer}:ValidIssuer=me", $"{Bearer}:ValidAudience=api", $"{Bearer}:SigningKeys:0:Issuer=me", $"{Bearer}:SigningKeys:0:Value=not base64!"], "not base64" },
        { "an http authority off this machine", [$"{Bearer}:Authority=http://login.example.com/", $"{Bearer}:ValidIssuer=x", $"{Bearer}:ValidAudience=y"], "must use https" },
        { "an authority that is no address", [$"{Bearer}:Authority=login.example.com", $"{Bearer}:ValidIssuer=x", $"{Bearer}:ValidAudience=y"], "not an absolute http(s) address" },
        { "an audience alone", [$"{Bearer}:ValidAudiences:0=api"], "names an audience but no issuer" },
        { "a cors origin without a scheme", [$"{KanbatteCors.OriginsSection}:0=app.example.com"], "is not an origin" },
        { "a cors origin with a path", [$"{KanbatteCors.OriginsSection}:0=https://app.example.com/app"], "is not an origin" },
        { "cors origins as one value", [$"{KanbatteCors.OriginsSection}=https://app.example.com"], "is a list" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void The_server_refuses_to_start(string what, string[] settings, string said)
    {
        using var server = KanbatteFactory.With(settings.Select(s => s.Split('=', 2)).ToDictionary(s => s[0], s => (string?)s[1]), testIssuer: false);

        var refusal = Assert.ThrowsAny<Exception>(() => server.Services);

        var messages = string.Join(" | ", Chain(refusal).Select(e => e.Message));
        Assert.True(messages.Contains(said, StringComparison.Ordinal), $"{what}: {messages}");
    }

    [Fact]
    public void User_jwts_settings_are_read_as_dotnet_user_jwts_writes_them()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{Bearer}:ValidAudiences:0"] = "http://localhost:5000",
            [$"{Bearer}:ValidAudiences:1"] = "https://localhost:5001",
            [$"{Bearer}:ValidIssuer"] = "dotnet-user-jwts",
            [$"{Bearer}:SigningKeys:0:Id"] = "c2f7a1e0",
            [$"{Bearer}:SigningKeys:0:Issuer"] = "dotnet-user-jwts",
            [$"{Bearer}:SigningKeys:0:Value"] = Key,
            [$"{Bearer}:SigningKeys:0:Length"] = "32",
        }).Build();

        var settings = BearerSettings.Read(configuration);

        Assert.True(settings.IsConfigured);
        Assert.Equal(["dotnet-user-jwts"], settings.Issuers);
        Assert.Equal(["http://localhost:5000", "https://localhost:5001"], settings.Audiences);
        var key = Assert.Single(settings.SigningKeys);
        Assert.Equal(("dotnet-user-jwts", "c2f7a1e0"), (key.Issuer, key.KeyId));
    }

    [Fact]
    public void Nothing_configured_means_no_issuer_and_cors_for_no_origin()
    {
        var empty = new ConfigurationBuilder().Build();

        Assert.False(BearerSettings.Read(empty).IsConfigured);
        Assert.Empty(KanbatteCors.OriginsIn(empty));
    }

    private static IEnumerable<Exception> Chain(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException aggregate)
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Chain)) yield return inner;
        }
    }
}
