using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Kanbatte.Api;

/// <summary>
/// The signature algorithms a token may use, pinned to the kind of key that checks it: HS256 for a configured symmetric
/// key only, the RSA and ECDSA families for an issuer's published (asymmetric) keys. So a token cannot pick an algorithm
/// that turns a public key into an HMAC secret (algorithm confusion), and unsigned tokens never get this far.
/// </summary>
public static class TokenAlgorithms
{
    private static readonly HashSet<string> Rsa = new(StringComparer.Ordinal)
    {
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
    };

    private static readonly HashSet<string> Ecdsa = new(StringComparer.Ordinal)
    {
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    };

    public static bool IsAllowed(string algorithm, SecurityKey key, SecurityToken token, TokenValidationParameters parameters) => key switch
    {
        ConfiguredSigningKey => algorithm == SecurityAlgorithms.HmacSha256,
        JsonWebKey { Kty: JsonWebAlgorithmsKeyTypes.RSA } or RsaSecurityKey => Rsa.Contains(algorithm),
        JsonWebKey { Kty: JsonWebAlgorithmsKeyTypes.EllipticCurve } or ECDsaSecurityKey => Ecdsa.Contains(algorithm),
        X509SecurityKey x509 => x509.PublicKey is RSA ? Rsa.Contains(algorithm) : x509.PublicKey is ECDsa && Ecdsa.Contains(algorithm),
        // Anything else (a symmetric key published in metadata, say) verifies nothing.
        _ => false,
    };
}
