using System.Security.Claims;
using Kanbatte.Application;

namespace Kanbatte.Api;

/// <summary>
/// Reads the caller from a validated token's claims (as JwtBearer left them, with inbound claim mapping off): the id
/// from <see cref="KanbatteAuthOptions.UserIdClaim"/>, the name from <c>name</c>, else <c>preferred_username</c>, else
/// the id, and operator rights from the <c>roles</c> claim. Both hosts use it, so a token means the same on each.
/// </summary>
public sealed class Identity(KanbatteAuthOptions options)
{
    public const string AdminRole = "Kanbatte.Admin";

    /// <summary>The caller, or null when the principal is not authenticated or names no usable user id.</summary>
    public Caller? CallerOf(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true) return null;
        var id = user.FindFirst(options.UserIdClaim)?.Value;
        if (string.IsNullOrEmpty(id) || id.Length > Caller.MaxIdLength || id.Any(char.IsControl)) return null;
        var name = new[] { user.FindFirst("name")?.Value, user.FindFirst("preferred_username")?.Value }
            .FirstOrDefault(n => !string.IsNullOrWhiteSpace(n)) ?? id;
        var admin = user.FindAll("roles").Any(c => c.Value == AdminRole);
        return new Caller(id, name, admin);
    }
}
