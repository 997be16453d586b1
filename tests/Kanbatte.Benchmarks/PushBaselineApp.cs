using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;

namespace Kanbatte.Benchmarks;

/// <summary>
/// The push baseline: ASP.NET Core SignalR and nothing else. <c>POST /write/{user}?seq=N</c> sends <c>changed</c> to
/// that user's connections (<c>Clients.User</c>, as Kanbatte's notifier sends to members) and then answers 200; no
/// storage, no token check, no queue. So it measures the bare transport from a write's answer to a listening client.
/// The message has Kanbatte's shape and about its size: <c>{projectKey, cursor}</c>, the cursor a base64url JSON payload
/// with the same fields (<c>s</c> the number the writer sent) and a 16-byte tag, so the client decodes both the same way.
/// </summary>
public static class PushBaselineApp
{
    // Kanbatte's epoch is 16 hex characters; a fixed one of the same length keeps the payloads the same size.
    private const string Epoch = "0123456789abcdef";

    public static async Task RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddSignalR();
        builder.Services.AddSingleton<IUserIdProvider, QueryUserIds>();
        var app = builder.Build();
        app.MapGet("/api/health", () => Results.Ok(new { status = "healthy" }));
        app.MapHub<BaselineHub>("/api/hub");
        app.MapPost("/write/{user}", async (string user, long seq, IHubContext<BaselineHub> hub, CancellationToken ct) =>
        {
            await hub.Clients.User(user).SendAsync("changed", new { projectKey = user, cursor = Cursor(user, seq) }, ct);
            return Results.Ok();
        });
        await app.RunAsync();
    }

    private static string Cursor(string projectKey, long seq)
    {
        var hour = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 3600 * 3600;
        var payload = JsonSerializer.SerializeToUtf8Bytes(new { p = projectKey, e = Epoch, s = seq, o = 0, l = false, t = (string?)null, b = hour });
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
    }

    private sealed class BaselineHub : Hub;

    /// <summary>A connection's user is the <c>user</c> query parameter of its URL: nothing to authenticate here.</summary>
    private sealed class QueryUserIds : IUserIdProvider
    {
        public string? GetUserId(HubConnectionContext connection) => connection.GetHttpContext()?.Request.Query["user"].ToString();
    }
}
