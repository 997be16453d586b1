using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace Kanbatte.Api;

/// <summary>
/// Bearer tokens, the same on both hosts: ASP.NET Core's JwtBearer handler, bound from
/// <c>Authentication:Schemes:Bearer</c> by JwtBearer itself, then hardened so that signature, issuer, audience, expiry
/// and not-before are always checked, the algorithm is pinned to the key, and the token must name a user. A refused
/// token becomes the API's 401 problem (<see cref="BearerChallenge"/>).
/// </summary>
public static class KanbatteAuthentication
{
    public const string Scheme = JwtBearerDefaults.AuthenticationScheme;

    /// <param name="localIssuer">
    /// The host's own issuer, used when none is configured (the self-hosted server); without one, an unconfigured host
    /// refuses to start, as it could check no token.
    /// </param>
    public static IServiceCollection AddKanbatteAuthentication(this IServiceCollection services, IConfiguration configuration, Func<ILocalTokenIssuer>? localIssuer = null)
    {
        var settings = BearerSettings.Read(configuration);
        ILocalTokenIssuer? local = null;
        if (!settings.IsConfigured)
        {
            local = localIssuer?.Invoke() ?? throw new InvalidOperationException(
                $"No token issuer is configured, and this host has no local one: set {BearerSettings.Section}:Authority (or :SigningKeys), " +
                $":ValidIssuer and :ValidAudiences:0 (as app settings: Authentication__Schemes__Bearer__Authority, ...ValidIssuer, ...ValidAudiences__0).");
        }
        services.AddSingleton(new TokenIssuers(settings, local));
        // AddAuthentication brings data protection, which nothing here uses (no cookies): keep its keys in memory, not on disk.
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddAuthentication(Scheme).AddJwtBearer(options =>
        {
            // Claims keep the names the token gives them (sub, name, roles), which Identity reads.
            options.MapInboundClaims = false;
            options.IncludeErrorDetails = true;
            if (local is not null)
            {
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = local.Issuer,
                    ValidAudience = local.Audience,
                    // Read on every token, so a rotated key takes over while the server runs.
                    IssuerSigningKeyResolver = (_, _, _, _) => [local.CurrentKey()],
                };
            }
            else
            {
                // JwtBearer bound the section itself; the keys are made here so every listed key counts and keeps its issuer.
                options.TokenValidationParameters.IssuerSigningKeys = settings.SigningKeys;
                if ((settings.Authority ?? settings.MetadataAddress) is { IsLoopback: true } address && address.Scheme == Uri.UriSchemeHttp)
                    options.RequireHttpsMetadata = false; // BearerSettings allows plain http on loopback only
            }
            options.Events = new JwtBearerEvents
            {
                OnMessageReceived = HubAccessToken.ReadAsync, // only where the server kept one: the hub's path
                OnTokenValidated = RequireUserAsync,
                OnChallenge = BearerChallenge.WriteAsync,
            };
        });
        // After JwtBearer's own post-configuration, whatever the configuration said.
        services.PostConfigure<JwtBearerOptions>(Scheme, Harden);
        return services;
    }

    private static void Harden(JwtBearerOptions options)
    {
        options.MapInboundClaims = false;
        var parameters = options.TokenValidationParameters;
        parameters.RequireSignedTokens = true;
        parameters.ValidateIssuerSigningKey = true;
        parameters.ValidateIssuer = true;
        parameters.ValidateAudience = true;
        parameters.RequireAudience = true;
        parameters.ValidateLifetime = true;
        parameters.RequireExpirationTime = true;
        parameters.AlgorithmValidator = TokenAlgorithms.IsAllowed;
        parameters.IssuerSigningKeyValidator = IsKeyOfTheIssuer;
    }

    /// <summary>A configured key verifies only its own issuer's tokens; a published certificate only while it is valid.</summary>
    private static bool IsKeyOfTheIssuer(SecurityKey key, SecurityToken token, TokenValidationParameters parameters) => key switch
    {
        // Checked before the issuer itself: refused as the wrong issuer it is, which the challenge then names.
        ConfiguredSigningKey configured when !string.Equals(configured.Issuer, token.Issuer, StringComparison.Ordinal) =>
            throw new SecurityTokenInvalidIssuerException("The token's issuer is not the one its signing key belongs to.") { InvalidIssuer = token.Issuer },
        X509SecurityKey x509 => x509.Certificate.NotBefore.ToUniversalTime() <= DateTime.UtcNow && DateTime.UtcNow <= x509.Certificate.NotAfter.ToUniversalTime(),
        _ => true,
    };

    /// <summary>A genuine token that names no usable user id is refused like a bad one: the caller is unknown.</summary>
    private static Task RequireUserAsync(TokenValidatedContext context)
    {
        var services = context.HttpContext.RequestServices;
        if (services.GetRequiredService<Identity>().CallerOf(context.Principal) is null)
            context.Fail(new TokenWithoutUserException(services.GetRequiredService<KanbatteAuthOptions>().UserIdClaim));
        return Task.CompletedTask;
    }
}
