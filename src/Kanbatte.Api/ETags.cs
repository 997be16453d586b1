using System.Globalization;
using Kanbatte.Domain;
using Microsoft.AspNetCore.Http;

namespace Kanbatte.Api;

/// <summary>An entity's version as an ETag (<c>"3"</c>), out in responses and back in <c>If-Match</c>.</summary>
public static class ETags
{
    public static string Of(int version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>The version an If-Match header names (<c>"3"</c>), or null without the header or with <c>*</c>.</summary>
    public static int? IfMatch(HttpRequest request)
    {
        var raw = request.Headers.IfMatch.ToString().Trim();
        if (raw.Length == 0 || raw == "*") return null;
        var tag = raw.StartsWith("W/", StringComparison.Ordinal) ? raw[2..] : raw;
        if (tag.Length > 2 && tag[0] == '"' && tag[^1] == '"' &&
            QueryValues.TryParseWhole(tag[1..^1], out var version) && version > 0)
            return version;
        throw new ValidationException("If-Match", "must be an ETag this API issued, such as \"3\".");
    }
}
