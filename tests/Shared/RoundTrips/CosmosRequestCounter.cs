using Microsoft.Azure.Cosmos;

namespace Kanbatte.Testing.RoundTrips;

/// <summary>
/// Counts the data-plane requests the Cosmos SDK sends, as "container.kind" (<c>view.read</c>, <c>event_log.query</c>).
/// A custom handler sits above the SDK's retry and transport handlers, so it sees each request the store asked for once,
/// in Gateway and Direct mode alike. Data plane means addressed to items: the request carries a partition key or is a
/// query. The SDK's own metadata reads (account, container, partition key ranges) never pass through custom handlers;
/// <see cref="CosmosWireCounter"/> sees those.
/// <para>
/// A query that carries no partition key (<c>x-ms-documentdb-partitionkey</c>) is a cross-partition query: it is sent to
/// every partition key range (or each one the query plan names) instead of one logical partition. Those are also
/// counted in <paramref name="crossPartition"/>, by container.
/// </para>
/// </summary>
public sealed class CosmosRequestCounter(RoundTripCounter counter, RoundTripCounter? crossPartition = null) : RequestHandler
{
    public override Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken)
    {
        var isQuery = IsTrue(request.Headers["x-ms-documentdb-isquery"]);
        var partitionKey = request.Headers["x-ms-documentdb-partitionkey"];
        if (isQuery || partitionKey is not null)
            counter.Hit($"{ContainerOf(request.RequestUri)}.{KindOf(request.Method, isQuery, h => request.Headers[h])}");
        if (isQuery && partitionKey is null) crossPartition?.Hit($"{ContainerOf(request.RequestUri)}.query");
        return base.SendAsync(request, cancellationToken);
    }

    internal static string KindOf(HttpMethod method, bool isQuery, Func<string, string?> header) => method.Method switch
    {
        "GET" => "read",
        "PATCH" => "patch",
        "PUT" => "replace",
        "DELETE" => "delete",
        _ when IsTrue(header("x-ms-cosmos-is-query-plan-request")) => "query-plan",
        _ when isQuery => "query",
        _ when IsTrue(header("x-ms-cosmos-is-batch-request")) => "batch",
        _ when IsTrue(header("x-ms-documentdb-is-upsert")) => "upsert",
        _ => "create",
    };

    /// <summary>The segment after <c>colls/</c> (dbs/{db}/colls/{container}/docs/{id}).</summary>
    internal static string ContainerOf(Uri? uri)
    {
        var segments = (uri?.OriginalString ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        var at = Array.IndexOf(segments, "colls");
        return at >= 0 && at + 1 < segments.Length ? segments[at + 1] : "?";
    }

    private static bool IsTrue(string? value) => string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);
}
