using Microsoft.Extensions.Configuration;

namespace Kanbatte.Api;

/// <summary>
/// The token issuer settings, read from the section JwtBearer binds itself (<c>Authentication:Schemes:Bearer</c>, as
/// <c>dotnet user-jwts</c> writes it), and checked before anything starts: JwtBearer validates only what is configured,
/// so a configuration that leaves out the issuer or the audience would accept tokens meant for anyone.
/// </summary>
public sealed record BearerSettings(
    IReadOnlyList<string> Issuers,
    IReadOnlyList<string> Audiences,
    Uri? Authority,
    Uri? MetadataAddress,
    IReadOnlyList<ConfiguredSigningKey> SigningKeys)
{
    public const string Section = "Authentication:Schemes:Bearer";

    /// <summary>HS256 needs a key of at least 256 bits.</summary>
    public const int MinimumKeyBytes = 32;

    /// <summary>True when an issuer is configured: then only its tokens are accepted and the server's local issuer is off.</summary>
    public bool IsConfigured => Authority is not null || MetadataAddress is not null || Issuers.Count > 0 || SigningKeys.Count > 0;

    /// <summary>Where signing keys come from an OpenID Connect metadata document (asymmetric keys only).</summary>
    public bool UsesMetadata => Authority is not null || MetadataAddress is not null;

    /// <summary>Reads and checks the section; throws <see cref="InvalidOperationException"/> naming every problem.</summary>
    public static BearerSettings Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var problems = new List<string>();
        var issuers = Values(section, "ValidIssuer", "ValidIssuers");
        var audiences = Values(section, "ValidAudience", "ValidAudiences");
        var authority = Address(section, "Authority", problems);
        var metadata = Address(section, "MetadataAddress", problems);
        var keys = new List<ConfiguredSigningKey>();
        foreach (var key in section.GetSection("SigningKeys").GetChildren())
        {
            var where = $"{Section}:SigningKeys:{key.Key}";
            var issuer = key["Issuer"];
            byte[]? bytes = null;
            try
            {
                bytes = Convert.FromBase64String(key["Value"] ?? "");
            }
            catch (FormatException)
            {
                problems.Add($"{where}:Value is not base64.");
            }
            if (bytes is not null && bytes.Length < MinimumKeyBytes)
                problems.Add($"{where}:Value has {bytes.Length * 8} bits; HS256 needs at least {MinimumKeyBytes * 8}.");
            if (string.IsNullOrEmpty(issuer)) problems.Add($"{where}:Issuer is missing: a key belongs to one issuer.");
            else if (!issuers.Contains(issuer, StringComparer.Ordinal))
                problems.Add($"{where}:Issuer '{issuer}' is not a ValidIssuer, so no token could be checked with this key.");
            if (bytes is { Length: >= MinimumKeyBytes } && !string.IsNullOrEmpty(issuer))
                keys.Add(new ConfiguredSigningKey(bytes, issuer) { KeyId = key["Id"] });
        }

        var settings = new BearerSettings(issuers, audiences, authority, metadata, keys);
        if (settings.IsConfigured)
        {
            if (issuers.Count == 0)
                problems.Add($"{Section}:ValidIssuer (or ValidIssuers:0, ...) is required: without it a token from any issuer would be accepted.");
            if (audiences.Count == 0)
                problems.Add($"{Section}:ValidAudience (or ValidAudiences:0, ...) is required: without it a token meant for another application would be accepted.");
            if (!settings.UsesMetadata && !section.GetSection("SigningKeys").GetChildren().Any())
                problems.Add($"{Section} needs Authority (the issuer's OpenID Connect metadata) or SigningKeys: nothing could check a token's signature.");
        }
        else if (audiences.Count > 0)
        {
            problems.Add($"{Section} names an audience but no issuer: set ValidIssuer with Authority or SigningKeys, or remove the audience.");
        }
        if (problems.Count > 0)
            throw new InvalidOperationException("Bearer token settings refused: " + string.Join(" ", problems));
        return settings;
    }

    /// <summary>True when the section names an issuer, without checking the rest (the server picks its local issuer otherwise).</summary>
    public static bool IsConfiguredIn(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        return new[] { "Authority", "MetadataAddress", "ValidIssuer" }.Any(k => !string.IsNullOrEmpty(section[k]))
               || section.GetSection("ValidIssuers").GetChildren().Any()
               || section.GetSection("SigningKeys").GetChildren().Any();
    }

    private static List<string> Values(IConfigurationSection section, string single, string list)
    {
        var values = section.GetSection(list).GetChildren().Select(c => c.Value).OfType<string>().Where(v => v.Length > 0).ToList();
        if (section[single] is { Length: > 0 } one) values.Add(one);
        return values.Distinct(StringComparer.Ordinal).ToList();
    }

    private static Uri? Address(IConfigurationSection section, string name, List<string> problems)
    {
        var value = section[name];
        if (string.IsNullOrEmpty(value)) return null;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            problems.Add($"{Section}:{name} '{value}' is not an absolute http(s) address.");
            return null;
        }
        // Plain http only on this machine (tests, a local identity provider): keys fetched over it could be replaced on the way.
        if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
        {
            problems.Add($"{Section}:{name} '{value}' must use https (http is allowed only on a loopback address).");
            return null;
        }
        return uri;
    }
}
