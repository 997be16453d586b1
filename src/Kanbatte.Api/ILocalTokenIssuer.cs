using Microsoft.IdentityModel.Tokens;

namespace Kanbatte.Api;

/// <summary>
/// The self-hosted server's own issuer, used when no issuer is configured: tokens it mints (HS256) with a key kept
/// beside the database. The function app has none.
/// </summary>
public interface ILocalTokenIssuer
{
    string Issuer { get; }
    string Audience { get; }

    /// <summary>The key now in force; after a rotation it is the new one, so tokens signed with the old key fail.</summary>
    ConfiguredSigningKey CurrentKey();

    /// <summary>Where the key is kept, for the start-up notice.</summary>
    string KeyPath { get; }
}
