using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kanbatte.Cli;

/// <summary>How a request may be sent again when the server gave no answer.</summary>
public enum Retry
{
    /// <summary>Never: the request may have changed something (PATCH, DELETE).</summary>
    No,

    /// <summary>A read (GET) or a PUT: sending it again changes nothing more.</summary>
    Safe,

    /// <summary>A POST with an <c>Idempotency-Key</c>: the server answers a repeat with the first answer.</summary>
    WithKey,
}

/// <summary>An answer of the API: its status, JSON body (null for none) and headers.</summary>
public sealed record ApiAnswer(HttpStatusCode Status, JsonNode? Body, HttpResponseHeaders Headers);

/// <summary>
/// The HTTP API as the tool uses it: bearer token on every request, problems turned into <see cref="CliException"/>s
/// (4xx: exit 1, 5xx or no answer: exit 3), reads and idempotent POSTs sent again after a network failure.
/// </summary>
public sealed class KanbatteClient : IDisposable
{
    /// <summary>Pauses before the attempts after the first, when a request got no answer.</summary>
    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(750), TimeSpan.FromSeconds(1.5)];

    private readonly HttpClient _http;
    private readonly ITokenSource _tokens;

    public KanbatteClient(Uri server, ITokenSource tokens, HttpMessageHandler? handler = null)
    {
        Server = server;
        _tokens = tokens;
        _http = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = new Uri(server, "api/"),
            Timeout = TimeSpan.FromSeconds(100),
        };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("kanbatte-cli", typeof(KanbatteClient).Assembly.GetName().Version?.ToString(3)));
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    /// <summary>The server's base address, ending in a slash (the API is under <c>api/</c>).</summary>
    public Uri Server { get; }

    public Task<string> TokenAsync(CancellationToken ct) => _tokens.GetTokenAsync(ct);

    public async Task<JsonNode> GetAsync(string path, CancellationToken ct) =>
        (await SendAsync(HttpMethod.Get, path, null, Retry.Safe, ct)).Body ?? throw NoBody(path);

    /// <summary>Every item of a paged list, following continuation tokens until the last page or until <paramref name="max"/> items.</summary>
    public async Task<JsonArray> GetAllAsync(string path, CancellationToken ct, int? max = null)
    {
        var items = new JsonArray();
        string? token = null;
        do
        {
            var remaining = max is { } m ? m - items.Count : int.MaxValue;
            if (remaining <= 0) break;
            var page = await GetAsync(WithQuery(path, ("limit", Math.Min(100, remaining).ToString(System.Globalization.CultureInfo.InvariantCulture)), ("continuationToken", token)), ct);
            foreach (var item in page["items"]?.AsArray() ?? []) items.Add(item?.DeepClone());
            token = page["continuationToken"]?.GetValue<string>();
        }
        while (token is not null);
        return items;
    }

    /// <summary>
    /// Sends a request, with <paramref name="body"/> as JSON. A POST carries <paramref name="idempotencyKey"/> (a new
    /// one when not given), so that sending it again after a lost answer changes nothing twice.
    /// </summary>
    public async Task<ApiAnswer> SendAsync(HttpMethod method, string path, JsonNode? body, Retry retry, CancellationToken ct,
        string? idempotencyKey = null, IReadOnlyDictionary<string, string>? headers = null)
    {
        if (method == HttpMethod.Post) idempotencyKey ??= Guid.NewGuid().ToString("N");
        var payload = body?.ToJsonString(Output.CompactJson);
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await _tokens.GetTokenAsync(ct));
            if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
            foreach (var (name, value) in headers ?? new Dictionary<string, string>()) request.Headers.TryAddWithoutValidation(name, value);
            if (payload is not null) request.Content = new StringContent(payload, Encoding.UTF8, "application/json");

            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, ct);
            }
            catch (Exception e) when (IsNoAnswer(e, ct))
            {
                if (retry != Retry.No && attempt < RetryDelays.Length)
                {
                    await Task.Delay(RetryDelays[attempt], ct);
                    continue;
                }
                throw new CliException(ExitCodes.Failure, $"No answer from {Server}: {Describe(e)}");
            }

            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(ct);
                var json = ParseOrNull(text);
                if (response.IsSuccessStatusCode) return new ApiAnswer(response.StatusCode, json, response.Headers);
                // A repeat that reached the server while the first was still being answered: wait for the first's answer.
                if (retry == Retry.WithKey && response.StatusCode == HttpStatusCode.Conflict && attempt < RetryDelays.Length
                    && json?["detail"]?.GetValue<string>() is { } detail && detail.Contains("Idempotency-Key", StringComparison.Ordinal)
                    && detail.Contains("in progress", StringComparison.Ordinal))
                {
                    await Task.Delay(RetryDelays[attempt], ct);
                    continue;
                }
                throw ProblemException(response, json, text);
            }
        }
    }

    /// <summary>The problem's detail, then each field error, one line each; exit 1 for 4xx, 3 for anything else.</summary>
    private static CliException ProblemException(HttpResponseMessage response, JsonNode? json, string text)
    {
        var status = (int)response.StatusCode;
        var code = status is >= 400 and < 500 ? ExitCodes.Refused : ExitCodes.Failure;
        var lines = new List<string>();
        if (json is JsonObject problem && (problem["detail"] ?? problem["title"]) is JsonValue message && message.TryGetValue<string>(out var detail))
        {
            var fields = new List<string>();
            var joined = new List<string>();
            if (problem["errors"] is JsonObject errors)
                foreach (var (field, messages) in errors)
                {
                    var texts = (messages as JsonArray ?? []).Select(m => m is JsonValue v && v.TryGetValue<string>(out var t) ? t : m?.ToJsonString() ?? "").ToList();
                    fields.AddRange(texts.Select(t => OneLine($"{field}: {t}")));
                    joined.Add($"{field}: {string.Join(" ", texts)}");
                }
            // A 400's detail is its field errors in one line (and how many more were found): then the lines say it all.
            var summary = string.Join(" ", joined);
            if (fields.Count > 0 && detail.StartsWith(summary, StringComparison.Ordinal))
            {
                lines.AddRange(fields);
                if (detail[summary.Length..].Trim() is { Length: > 0 } rest) lines.Add(OneLine(rest));
            }
            else
            {
                lines.Add(OneLine(detail));
                lines.AddRange(fields);
            }
            if (problem["currentVersion"] is JsonValue current) lines.Add($"currentVersion: {current}");
        }
        else
        {
            lines.Add(OneLine($"{status} {response.ReasonPhrase}{(string.IsNullOrWhiteSpace(text) ? "" : ": " + text)}"));
        }
        if (response.StatusCode == HttpStatusCode.Unauthorized)
            lines.Add("Sign in again: set KANBATTE_TOKEN or run 'kanbatte login' (or 'kanbatte login --device').");
        return new CliException(code, lines, status);
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    private static JsonNode? ParseOrNull(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>No HTTP answer: a refused or dropped connection, or the client's own timeout (not the user's Ctrl+C).</summary>
    private static bool IsNoAnswer(Exception e, CancellationToken ct) =>
        e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested) || e is IOException;

    private static string Describe(Exception e)
    {
        if (e is TaskCanceledException) return "timed out";
        var messages = new List<string>();
        for (var inner = e; inner is not null; inner = inner.InnerException)
            if (!messages.Any(m => m.Contains(inner.Message, StringComparison.Ordinal))) messages.Add(inner.Message);
        return OneLine(string.Join(": ", messages));
    }

    private static CliException NoBody(string path) => new(ExitCodes.Failure, $"The server answered {path} without a body.");

    /// <summary><paramref name="path"/> with the query parameters that have a value, escaped.</summary>
    public static string WithQuery(string path, params (string Name, string? Value)[] parameters)
    {
        var query = string.Join("&", parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}"));
        return query.Length == 0 ? path : path + (path.Contains('?') ? "&" : "?") + query;
    }

    /// <summary>A path segment: user ids may hold '/', '#', '|'.</summary>
    public static string Segment(string value) => Uri.EscapeDataString(value);

    public void Dispose() => _http.Dispose();
}
