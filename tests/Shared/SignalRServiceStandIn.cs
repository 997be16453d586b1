using System.Collections.Concurrent;
using Azure.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Kanbatte.Testing;

/// <summary>
/// A local HTTP listener standing in for Azure SignalR Service's data-plane REST API, on a free loopback port: it
/// records every request (method, path, query, bearer token, body) and answers <c>:generateToken</c> with a token and
/// a user send with 202, unless told to answer with other statuses first (<see cref="FailNext"/>). It checks nothing of
/// the service's own rules: the tests assert what the function app sent.
/// </summary>
public sealed class SignalRServiceStandIn : IAsyncDisposable
{
    /// <summary>The token the stand-in identity (<see cref="Credential"/>) hands out, as Microsoft Entra would for the app's managed identity.</summary>
    public const string IdentityToken = "identity-token-for-signalr";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _failures = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _failuresTo = new(StringComparer.Ordinal);

    public sealed record Call(string Method, string Path, string Query, string? Authorization, string Body);

    private SignalRServiceStandIn(WebApplication app, Uri endpoint) => (_app, Endpoint) = (app, endpoint);

    public Uri Endpoint { get; }
    public ConcurrentQueue<Call> Calls { get; } = new();

    /// <summary>The function app's settings for this stand-in.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Kanbatte:SignalR:Endpoint"] = Endpoint.ToString() };

    /// <summary>The next requests are answered with these statuses, in order (a <c>Retry-After: 0</c> with each 429).</summary>
    public void FailNext(params int[] statuses)
    {
        foreach (var status in statuses) _failures.Enqueue(status);
    }

    /// <summary>
    /// The next requests to <paramref name="path"/> are answered with these statuses, in order, whatever goes to other
    /// paths meanwhile: one user's sends fail while the sends to others, made in parallel, go through.
    /// </summary>
    public void FailNextTo(string path, params int[] statuses)
    {
        var queue = _failuresTo.GetOrAdd(path, _ => new ConcurrentQueue<int>());
        foreach (var status in statuses) queue.Enqueue(status);
    }

    public static async Task<SignalRServiceStandIn> StartAsync()
    {
        var port = LoopbackPort.Free();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var standIn = new SignalRServiceStandIn(app, new Uri($"http://127.0.0.1:{port}"));
        app.Run(standIn.AnswerAsync);
        await app.StartAsync();
        return standIn;
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
        Calls.Enqueue(new Call(context.Request.Method, context.Request.Path.Value!, context.Request.QueryString.Value ?? "",
            context.Request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null, body));
        if ((_failuresTo.TryGetValue(context.Request.Path.Value!, out var own) && own.TryDequeue(out var status)) || _failures.TryDequeue(out status))
        {
            context.Response.StatusCode = status;
            if (status == 429) context.Response.Headers.RetryAfter = "0";
            return;
        }
        if (context.Request.Path.Value!.EndsWith("/:generateToken", StringComparison.Ordinal))
            await context.Response.WriteAsJsonAsync(new { token = "client-token-for-" + context.Request.Query["userId"] });
        else
            context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>The function app's identity, as the tests give it: always the same token, for the scope asked.</summary>
    public sealed class Credential : TokenCredential
    {
        public List<string[]> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            lock (Scopes) Scopes.Add(requestContext.Scopes);
            return new AccessToken(IdentityToken, DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
