using System.Globalization;
using Kanbatte.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Kanbatte.Api;

/// <summary>Reading query parameters by the contract's rules; every bad value is a 400 naming its parameter.</summary>
public static partial class QueryValues
{
    /// <summary>A query parameter given at most once.</summary>
    public static string? Single(HttpRequest request, string name)
    {
        var values = request.Query.TryGetValue(name, out var v) ? v : StringValues.Empty;
        return values.Count switch
        {
            0 => null,
            1 => values[0],
            _ => throw new ValidationException(name, "must be given at most once."),
        };
    }

    /// <summary>A whole number written in plain ASCII digits (int.TryParse alone ignores trailing NULs: "5\0" would be 5).</summary>
    public static bool TryParseWhole(string text, out int value)
    {
        value = 0;
        return text.Length is > 0 and <= 10 && text.All(char.IsAsciiDigit) &&
               int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>A comma list (possibly given several times) of values from <paramref name="allowed"/>, as a set in ordinal order.</summary>
    public static IReadOnlyList<string> CommaList(HttpRequest request, string name, IReadOnlyList<string> allowed, Violations v)
    {
        var values = request.Query[name].SelectMany(x => (x ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var unknown = values.Where(x => !allowed.Contains(x)).ToList();
        if (unknown.Count > 0) v.Add(name, $"'{string.Join("', '", unknown)}' is not one of {string.Join(", ", allowed)}.");
        return values;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,7})?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial System.Text.RegularExpressions.Regex Rfc3339();

    /// <summary>The <c>asOf</c> time (RFC 3339, with Z or an offset), or null.</summary>
    public static DateTimeOffset? AsOf(HttpRequest request)
    {
        // A '+' offset arrives as a space when the client did not encode it.
        var raw = Single(request, "asOf")?.Replace(' ', '+');
        if (raw is null) return null;
        return Rfc3339().IsMatch(raw) && DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : throw new ValidationException("asOf", "must be an RFC 3339 time such as 2026-11-26T07:19:16.560Z.");
    }
}
