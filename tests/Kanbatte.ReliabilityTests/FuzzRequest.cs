using System.Text;

namespace Kanbatte.ReliabilityTests;

/// <summary>One generated request: what to send, and which kind of mistake it carries (for the report on failure).</summary>
public sealed record FuzzRequest(string Method, string Url, byte[]? Body, string? ContentType, IReadOnlyList<KeyValuePair<string, string>> Headers, string Kind, bool MustRefuse = true)
{
    public override string ToString() =>
        $"[{Kind}] {Method} {(Url.Length > 200 ? Url[..200] + "..." : Url)} ({ContentType}) {(Body is null ? "" : Preview(Body))}";

    private static string Preview(byte[] body) => body.Length > 200 ? Encoding.UTF8.GetString(body, 0, 200) + $"... ({body.Length} bytes)" : Encoding.UTF8.GetString(body);
}
