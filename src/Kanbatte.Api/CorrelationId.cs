using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Kanbatte.Api;

/// <summary>The id that ties a request to its events and log lines: the client's own when sensible, else the trace id.</summary>
public static class CorrelationId
{
    public const string Header = "X-Correlation-Id";

    public static string Of(HttpRequest request)
    {
        var given = request.Headers[Header].ToString();
        if (given.Length is > 0 and <= 100 && given.All(c => c is > ' ' and < (char)127)) return given;
        return Activity.Current?.TraceId.ToString() ?? Guid.NewGuid().ToString("N");
    }

    /// <summary>Picks the request's id and sets it on the response, where every answer carries it.</summary>
    public static string Stamp(HttpRequest request)
    {
        var id = Of(request);
        request.HttpContext.Response.Headers[Header] = id;
        return id;
    }
}
