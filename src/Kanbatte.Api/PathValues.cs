using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Kanbatte.Api;

/// <summary>
/// A user id taken from a request path. User ids are opaque (<c>auth0|abc</c>, <c>a/b</c>, <c>a#b</c>), so clients
/// percent-encode them; servers decode a path except its <c>%2F</c>, which would make <c>a/b</c> and a literal
/// <c>a%2Fb</c> the same. So the id is read from the raw request target, its segment decoded exactly once. A host that
/// hands over no raw target (the in-process test server) gives the routed value, in which only <c>%2F</c> is left to decode.
/// </summary>
public static class PathValues
{
    /// <summary>The path's last segment, decoded once; <paramref name="routeValue"/> where no raw target is known (a host that hands over decoded values only).</summary>
    public static string LastSegment(HttpRequest request, string routeValue)
    {
        var raw = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw) || raw[0] != '/') return routeValue.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        var path = raw.AsSpan(0, raw.IndexOf('?') is >= 0 and var q ? q : raw.Length);
        return Uri.UnescapeDataString(path[(path.LastIndexOf('/') + 1)..].ToString());
    }
}
