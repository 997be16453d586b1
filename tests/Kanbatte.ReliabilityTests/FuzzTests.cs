using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Kanbatte.ReliabilityTests;

/// <summary>
/// Generated malformed requests across every route, against the server in process and against the real process:
/// no 5xx, ever, and the event log is unchanged by every request that was refused.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output) : IDisposable
{
    private const string Key = "FZ";
    private const string TaskId = "FZ-001";
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kanbatte-fuzz-");

    [Fact]
    public async Task In_process_1200_malformed_requests_get_no_5xx_and_refused_ones_append_nothing()
    {
        using var factory = new KanbatteFactory();
        var client = factory.CreateClient();
        await RunAsync(client, 1200, () => LastPosition(factory.DatabasePath));
    }

    [Fact]
    public async Task Real_process_malformed_requests_and_broken_http_get_no_5xx_and_append_nothing()
    {
        var db = Path.Combine(_folder.FullName, "k.db");
        await using var server = await ServerProcess.StartAsync(_folder.FullName, $"--Kanbatte:Sqlite:Path={db}");
        await RunAsync(server.Client, 200, () => LastPosition(db));

        // Requests an HttpClient refuses to send: broken framing and header syntax, straight onto the socket.
        var before = LastPosition(db);
        foreach (var raw in BrokenHttp())
        {
            var status = await SendRawAsync(server.BaseAddress, raw);
            // 505 is HTTP's own answer to an unknown protocol version, given by Kestrel before any Kanbatte code runs.
            var allowed = raw.Contains("HTTP/9.9") ? status is null or < 500 or 505 : status is null or < 500;
            Assert.True(allowed, $"{status} for raw request {Describe(raw)}");
            Assert.Equal(before, LastPosition(db));
        }
        Assert.True((await server.Client.GetAsync("api/health")).IsSuccessStatusCode, "the server must still be healthy");
    }

    private async Task RunAsync(HttpClient client, int count, Func<long> lastPosition)
    {
        var tokens = await SeedAsync(client);
        // A failure names its seed; KANBATTE_FUZZ_SEED replays it.
        var seed = int.TryParse(Environment.GetEnvironmentVariable("KANBATTE_FUZZ_SEED"), out var replay) ? replay : Environment.TickCount;
        var generator = new MalformedRequests(new Random(seed), Key, TaskId, tokens);
        var byStatus = new SortedDictionary<int, int>();
        var refusedWithoutChange = 0;
        var unsendable = 0;
        var mustRefuse = 0;
        for (var i = 0; i < count; i++)
        {
            var fuzz = generator.Next();
            var before = lastPosition();
            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(ToMessage(fuzz));
            }
            catch (Exception e) when (e is InvalidOperationException or HttpRequestException { InnerException: null })
            {
                // The client itself refuses to send it (a NUL in the in-process path): it never reached the server; draw another.
                unsendable++;
                i--;
                continue;
            }
            using var _ = response;
            if (fuzz.MustRefuse) mustRefuse++;
            var status = (int)response.StatusCode;
            byStatus[status] = byStatus.GetValueOrDefault(status) + 1;
            Assert.True(status < 500, $"{status} for {fuzz} (seed {seed}): {await response.Content.ReadAsStringAsync()}");
            Assert.True(status >= 400 || !fuzz.MustRefuse, $"{status} for {fuzz} (seed {seed}): it should have been refused");
            if (status >= 400)
            {
                Assert.True(before == lastPosition(), $"refused request appended events: {fuzz} (seed {seed})");
                refusedWithoutChange++;
            }
        }
        output.WriteLine($"seed {seed}: {count} requests ({unsendable} the client would not send); by status: {string.Join(", ", byStatus.Select(s => $"{s.Key}={s.Value}"))}");
        // Every request that must be refused was (checked one by one above). The generator itself must mostly produce such
        // requests, or the test proves little: about 90 % do, so 75 % leaves room for chance on a 200-request sample.
        Assert.True(refusedWithoutChange >= mustRefuse, $"{refusedWithoutChange} refused, {mustRefuse} had to be (seed {seed})");
        Assert.True(mustRefuse >= count * 3 / 4, $"only {mustRefuse} of {count} generated requests had to be refused (seed {seed})");
    }

    /// <summary>A project with tasks and comments to aim at, and genuine tokens of each list (to forge and to misuse).</summary>
    private static async Task<IReadOnlyList<string>> SeedAsync(HttpClient client)
    {
        foreach (var key in new[] { Key, "FY" })
            await client.PostAsJsonAsync("/api/projects", new { key, name = "Fuzz " + key });
        for (var i = 0; i < 2; i++)
        {
            await client.PostAsJsonAsync($"/api/projects/{Key}/tasks", new { title = $"Target {i}" });
            await client.PostAsJsonAsync($"/api/tasks/{TaskId}/comments", new { body = $"Comment {i}" });
        }
        var tokens = new List<string>();
        foreach (var list in new[] { "/api/projects", $"/api/projects/{Key}/tasks", $"/api/tasks/{TaskId}/comments", $"/api/tasks/{TaskId}/history" })
        {
            var page = await client.GetFromJsonAsync<JsonElement>(list + "?limit=1");
            tokens.Add(page.GetProperty("continuationToken").GetString()!);
        }
        return tokens;
    }

    private static HttpRequestMessage ToMessage(FuzzRequest fuzz)
    {
        var message = new HttpRequestMessage(new HttpMethod(fuzz.Method), fuzz.Url);
        if (fuzz.Body is not null)
        {
            message.Content = new ByteArrayContent(fuzz.Body);
            if (fuzz.ContentType is not null) message.Content.Headers.TryAddWithoutValidation("Content-Type", fuzz.ContentType);
        }
        foreach (var (name, value) in fuzz.Headers)
            if (!message.Headers.TryAddWithoutValidation(name, value)) message.Content?.Headers.TryAddWithoutValidation(name, value);
        return message;
    }

    private static IEnumerable<string> BrokenHttp()
    {
        const string json = "{\"title\":\"t\"}";
        var post = $"POST /api/projects/{Key}/tasks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";
        yield return "GARBAGE\r\n\r\n";
        yield return "GET /api/health HTTP/9.9\r\nHost: x\r\n\r\n";
        yield return "GET /api/health\r\n\r\n";
        yield return "GET /api/health HTTP/1.1\r\n\r\n"; // no Host
        yield return "GET /api/health HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n";
        yield return "GET /api/health HTTP/1.1\r\nHost: x\r\n: empty-name\r\n\r\n";
        yield return "GET /api/health HTTP/1.1\r\nHost: x\r\nX-Correlation-Id: a\u0000b\r\n\r\n";
        yield return "GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: " + new string('h', 40_000) + "\r\n\r\n";
        yield return "GET /" + new string('p', 10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n";
        yield return "GET /api/tasks/%ZZ HTTP/1.1\r\nHost: x\r\n\r\n";
        yield return "GET /api/tasks/\u00ff HTTP/1.1\r\nHost: x\r\n\r\n";
        yield return "GET /api/tasks/FZ-001%00 HTTP/1.1\r\nHost: x\r\n\r\n";
        yield return "GET /api/health HTTP/1.1\r\nHost: x\r\nX-Correlation-Id: na\u00efve\r\n\r\n";
        yield return post + "Content-Length: -1\r\n\r\n" + json;
        yield return post + "Content-Length: abc\r\n\r\n" + json;
        yield return post + "Content-Length: 5\r\nContent-Length: 6\r\n\r\n" + json;
        yield return post + $"Content-Length: {json.Length}\r\nTransfer-Encoding: chunked\r\n\r\n" + json;
        yield return post + "Transfer-Encoding: chunked\r\n\r\nZZ\r\n" + json + "\r\n0\r\n\r\n";
        yield return post + "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"tit\r\n"; // cut off mid-body, then the connection closes
        yield return post + "Transfer-Encoding: gzip\r\n\r\n" + json;
        yield return post + "Content-Length: 100\r\n\r\n" + json; // shorter than announced, then the connection closes
        yield return post + "Content-Length: 99999999999999999999\r\n\r\n" + json;
    }

    /// <summary>Sends bytes as they are and reads the status line; null when the server just closed the connection.</summary>
    private static async Task<int?> SendRawAsync(Uri baseAddress, string request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, baseAddress.Port);
        var stream = tcp.GetStream();
        stream.ReadTimeout = 10_000;
        try
        {
            await stream.WriteAsync(Encoding.Latin1.GetBytes(request));
            tcp.Client.Shutdown(SocketShutdown.Send);
        }
        catch (IOException) { } // the server may stop reading a request it already refused
        var buffer = new byte[256];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        int read;
        try { read = await stream.ReadAsync(buffer, timeout.Token); }
        catch (IOException) { return null; }
        var line = Encoding.Latin1.GetString(buffer, 0, read);
        return line.StartsWith("HTTP/1.", StringComparison.Ordinal) && line.Length >= 12 ? int.Parse(line.AsSpan(9, 3)) : null;
    }

    private static string Describe(string raw) => raw.Length > 120 ? raw[..120].ReplaceLineEndings("⏎") + "..." : raw.ReplaceLineEndings("⏎");

    private static long LastPosition(string db) => LogOracle.Scalar(db, "SELECT COALESCE(MAX(position), 0) FROM event_log");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { _folder.Delete(recursive: true); } catch (IOException) { }
    }
}
