namespace Kanbatte.Testing.RoundTrips;

/// <summary>
/// Counts every HTTP request the client puts on the wire (Gateway mode sends everything over HTTP): <c>data</c> for
/// requests to items (<c>/docs</c>), <c>metadata …</c> for the rest (the account, a container, its partition key
/// ranges), which a warm client has cached. Data on the wire beyond <see cref="CosmosRequestCounter"/>'s count would be
/// the SDK's own retries.
/// </summary>
public sealed class CosmosWireCounter(RoundTripCounter counter) : DelegatingHandler(new HttpClientHandler())
{
    public const string Data = "data";
    public const string Metadata = "metadata ";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri?.AbsolutePath ?? "";
        counter.Hit(path.Contains("/docs", StringComparison.Ordinal) ? Data : Metadata + request.Method + " " + Shape(path));
        return base.SendAsync(request, cancellationToken);
    }

    /// <summary>The path with names left out (/dbs/*/colls/*/pkranges), so the same read counts under one key.</summary>
    private static string Shape(string path) =>
        string.Join('/', path.Split('/').Select((s, i) => i > 0 && i % 2 == 0 ? "*" : s));
}
