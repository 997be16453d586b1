using Microsoft.IdentityModel.Tokens;

namespace Kanbatte.Api;

/// <summary>A symmetric (HS256) signing key and the one issuer whose tokens it may verify.</summary>
public sealed class ConfiguredSigningKey(byte[] key, string issuer) : SymmetricSecurityKey(key)
{
    public string Issuer { get; } = issuer;
}
