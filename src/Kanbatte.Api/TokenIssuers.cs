namespace Kanbatte.Api;

/// <summary>Whose tokens this host accepts: the configured issuer, or (self-hosted server only) its local issuer.</summary>
public sealed record TokenIssuers(BearerSettings Settings, ILocalTokenIssuer? Local);
