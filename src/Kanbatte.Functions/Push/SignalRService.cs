using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Azure.Core;
using Kanbatte.Application;
using Microsoft.Extensions.Logging;

namespace Kanbatte.Functions.Push;

/// <summary>
/// The parts of Azure SignalR Service's data-plane REST API Kanbatte uses, with <see cref="HttpClient"/> and a Microsoft
/// Entra token of the function app's own identity (local auth is off: no access key exists): a client access token for
/// a user, and a message to every connection of a user. Throttling (429), server errors (5xx) and no answer at all are
/// tried again, after the service's <c>Retry-After</c> when it gives one. Users are named to the service by
/// <see cref="ViewKeys.UserKey"/>, so opaque user ids (any characters) never go into a URL or the service's logs.
/// </summary>
public sealed class SignalRService(HttpClient http, TokenCredential credential, SignalRServiceOptions options, ILogger<SignalRService> logger)
{
    public const string ApiVersion = "2024-12-01";

    /// <summary>The data-plane scope for Microsoft Entra tokens (the identity needs the SignalR REST API Owner role).</summary>
    public static readonly string[] Scopes = ["https://signalr.azure.com/.default"];

    public const int MaxAttempts = 4;
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    public bool IsConfigured => options.Endpoint is not null;

    private string Endpoint => (options.Endpoint ?? throw new InvalidOperationException($"{SignalRServiceOptions.Section}:Endpoint is not set.")).ToString().TrimEnd('/');

    /// <summary>Where clients connect: the negotiate answer's <c>url</c>.</summary>
    public string ClientUrl => $"{Endpoint}/client/?hub={options.Hub}";

    /// <summary>A token for <paramref name="userId"/>'s connection to the hub, valid for <paramref name="minutes"/>.</summary>
    public async Task<string> GenerateClientTokenAsync(string userId, int minutes, CancellationToken ct)
    {
        var uri = $"{Endpoint}/api/hubs/{options.Hub}/:generateToken?userId={Uri.EscapeDataString(ViewKeys.UserKey(userId))}" +
                  $"&minutesToExpire={minutes.ToString(CultureInfo.InvariantCulture)}&api-version={ApiVersion}";
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, uri), ct);
        var answer = await response.Content.ReadFromJsonAsync<ClientToken>(ct);
        return answer?.Token ?? throw new InvalidOperationException("Azure SignalR Service answered :generateToken without a token.");
    }

    /// <summary>Sends <paramref name="target"/>(<paramref name="argument"/>) to every connection of <paramref name="userId"/>.</summary>
    public async Task SendToUserAsync(string userId, string target, object argument, CancellationToken ct)
    {
        var uri = $"{Endpoint}/api/hubs/{options.Hub}/users/{Uri.EscapeDataString(ViewKeys.UserKey(userId))}/:send?api-version={ApiVersion}";
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = JsonContent.Create(new Payload(target, [argument]), options: KanbatteJson.Options),
        }, ct);
    }

    private sealed record Payload(string Target, object[] Arguments);

    private sealed record ClientToken(string? Token);

    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> request, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var message = request();
            var token = await credential.GetTokenAsync(new TokenRequestContext(Scopes), ct);
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(message, ct);
            }
            catch (HttpRequestException e) when (attempt < MaxAttempts)
            {
                // No answer at all (a connection refused or reset): as passing as a 503.
                var wait = RetryDelay(null, attempt);
                logger.LogInformation("Azure SignalR Service could not be reached for {Method} {Path} ({Error}); trying again in {Delay} ms",
                    message.Method, message.RequestUri?.AbsolutePath, e.Message, wait.TotalMilliseconds);
                await Task.Delay(wait, ct);
                continue;
            }
            if (response.IsSuccessStatusCode) return response;
            var status = (int)response.StatusCode;
            var retry = status is 429 or >= 500 && attempt < MaxAttempts;
            var delay = RetryDelay(response, attempt);
            var error = $"Azure SignalR Service answered {status} to {message.Method} {message.RequestUri?.AbsolutePath}";
            response.Dispose();
            if (!retry) throw new HttpRequestException(error, null, (HttpStatusCode)status);
            logger.LogInformation("{Error}; trying again in {Delay} ms", error, delay.TotalMilliseconds);
            await Task.Delay(delay, ct);
        }
    }

    /// <summary>The service's Retry-After when it gives one (at most 5 s), else 200 ms doubling with each attempt.</summary>
    private static TimeSpan RetryDelay(HttpResponseMessage? response, int attempt)
    {
        var delay = response?.Headers.RetryAfter?.Delta ?? TimeSpan.FromMilliseconds(200 * Math.Pow(2, attempt - 1));
        return delay > MaxRetryDelay ? MaxRetryDelay : delay;
    }
}
