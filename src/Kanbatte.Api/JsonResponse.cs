using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Kanbatte.Api;

/// <summary>
/// The one response type: a status, a JSON body already serialized and the headers the contract names.
/// Serializing in the handler (not in the host) makes both hosts write byte-identical responses.
/// </summary>
public sealed record JsonResponse(int StatusCode, byte[]? Body, string ContentType = JsonResponse.Json) : IResult
{
    public const string Json = "application/json; charset=utf-8";
    public const string ProblemJson = "application/problem+json; charset=utf-8";
    public string? Location { get; init; }
    public string? ETag { get; init; }
    /// <summary>The challenge of a 401 (<c>WWW-Authenticate</c>).</summary>
    public string? WwwAuthenticate { get; init; }
    /// <summary>True when this is a kept response replayed for a retried Idempotency-Key.</summary>
    public bool Replayed { get; init; }

    public static JsonResponse Of<T>(int status, T value, string contentType = Json) =>
        new(status, JsonSerializer.SerializeToUtf8Bytes(value, Kanbatte.Application.KanbatteJson.Options), contentType);

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        if (Location is not null) response.Headers.Location = Location;
        if (ETag is not null) response.Headers.ETag = ETag;
        if (WwwAuthenticate is not null) response.Headers.WWWAuthenticate = WwwAuthenticate;
        if (Replayed) response.Headers[Idempotency.ReplayedHeader] = "true";
        if (Body is null) return Task.CompletedTask;
        response.ContentType = ContentType;
        response.ContentLength = Body.Length;
        // HEAD: the GET's status and headers, Content-Length included, without the body.
        if (HttpMethods.IsHead(httpContext.Request.Method)) return Task.CompletedTask;
        return response.Body.WriteAsync(Body, 0, Body.Length, httpContext.RequestAborted);
    }
}
