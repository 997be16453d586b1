using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Kanbatte.CliTests;

/// <summary>One request the proxy passed on: what the tool sent and what the server answered.</summary>
public sealed record ProxiedRequest(string Method, string Path, string? IdempotencyKey, int Status, bool Replayed, bool Dropped);

/// <summary>
/// A reverse proxy on a free loopback port in front of the server, for the failures a network has: it can drop the
/// answer to a request after the server has handled it (the client sees the connection close with no answer), or
/// answer itself in the server's place (a 5xx). Only on 127.0.0.1.
/// </summary>
public sealed class LoopbackProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "TE", "Trailer", "Host",
    };

    private readonly WebApplication _app;
    private readonly HttpClient _upstream;

    private LoopbackProxy(WebApplication app, HttpClient upstream, Uri address)
    {
        _app = app;
        _upstream = upstream;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Every request passed on, in order.</summary>
    public ConcurrentQueue<ProxiedRequest> Forwarded { get; } = new();

    /// <summary>Requests this matches have their answer dropped, once each time it is set: the server handles them, the client hears nothing.</summary>
    public Func<HttpRequest, bool>? DropAnswerOnce { get; set; }

    /// <summary>When set, answers every request itself (status, content type, body) instead of passing it on.</summary>
    public (int Status, string ContentType, string Body)? AnswerInstead { get; set; }

    /// <summary>When set, answers the requests it gives an answer for itself, and passes on the others.</summary>
    public Func<HttpRequest, (int Status, string ContentType, string Body)?>? AnswerFor { get; set; }

    public static async Task<LoopbackProxy> StartAsync(Uri target)
    {
        var port = LoopbackPort.Free();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var upstream = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = target };
        var proxy = new LoopbackProxy(app, upstream, new Uri($"http://127.0.0.1:{port}/"));
        app.Run(proxy.HandleAsync);
        await app.StartAsync();
        return proxy;
    }

    private async Task HandleAsync(HttpContext context)
    {
        if ((AnswerInstead ?? AnswerFor?.Invoke(context.Request)) is { } answer)
        {
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = answer.ContentType;
            await context.Response.WriteAsync(answer.Body);
            return;
        }
        var request = context.Request;
        using var forward = new HttpRequestMessage(new HttpMethod(request.Method), request.Path + request.QueryString);
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        if (body.Length > 0)
        {
            forward.Content = new ByteArrayContent(body.ToArray());
            if (request.ContentType is { } type) forward.Content.Headers.TryAddWithoutValidation("Content-Type", type);
        }
        foreach (var (name, values) in request.Headers)
            if (!HopByHop.Contains(name) && !name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
                forward.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values!);

        using var response = await _upstream.SendAsync(forward, context.RequestAborted);
        var bytes = await response.Content.ReadAsByteArrayAsync(context.RequestAborted);
        var drop = DropAnswerOnce is { } matches && matches(request);
        if (drop) DropAnswerOnce = null;
        Forwarded.Enqueue(new ProxiedRequest(request.Method, request.Path + request.QueryString, request.Headers["Idempotency-Key"].FirstOrDefault(),
            (int)response.StatusCode, response.Headers.Contains("Idempotent-Replayed"), drop));
        if (drop)
        {
            // The server has done the work; the client's connection closes without an answer.
            context.Abort();
            return;
        }
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            if (!HopByHop.Contains(name)) context.Response.Headers[name] = values.ToArray();
        await context.Response.Body.WriteAsync(bytes);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}
