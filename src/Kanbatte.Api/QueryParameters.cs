using Kanbatte.Domain;
using Microsoft.AspNetCore.Http;

namespace Kanbatte.Api;

/// <summary>
/// The query parameters a route accepts, declared once beside its handler. Any other parameter is a 400 naming it, so
/// a typo (<c>assigne=ana</c>) is refused instead of silently widening or changing the answer.
/// </summary>
public sealed class QueryParameters
{
    /// <summary>The Functions host's function key (<c>?code=</c>): it reaches the worker with the rest of the query.</summary>
    public const string FunctionKey = "code";

    public static readonly QueryParameters None = new([]);

    /// <summary>A list's page position: <c>limit</c> and <c>continuationToken</c>.</summary>
    public static readonly QueryParameters Page = new(["limit", "continuationToken"]);

    // Case-insensitive, as ASP.NET Core's query collection reads values.
    private readonly HashSet<string> _names;
    private readonly string _accepted;

    private QueryParameters(IEnumerable<string> names)
    {
        _names = new HashSet<string>(names, StringComparer.OrdinalIgnoreCase);
        _accepted = _names.Count == 0 ? "this route takes no query parameters." : $"this route takes {string.Join(", ", _names)}.";
    }

    public static QueryParameters Of(params string[] names) => new(names);

    public QueryParameters And(params string[] names) => new(_names.Concat(names));

    /// <summary>Refuses the request when its query names a parameter this route does not take, naming each.</summary>
    public void ThrowIfUnknown(HttpRequest request)
    {
        if (request.Query.Count == 0) return;
        var v = new Violations();
        foreach (var name in request.Query.Keys)
            if (!_names.Contains(name) && !name.Equals(FunctionKey, StringComparison.OrdinalIgnoreCase))
                v.Add(name, $"is not a query parameter of this route: {_accepted}");
        v.ThrowIfAny();
    }
}
