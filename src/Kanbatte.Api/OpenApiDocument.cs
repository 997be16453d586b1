namespace Kanbatte.Api;

/// <summary>The OpenAPI document (src/Kanbatte.Api/openapi.json), embedded so that both hosts serve the same bytes.</summary>
public static class OpenApiDocument
{
    public const string ResourceName = "Kanbatte.Api.openapi.json";

    private static readonly Lazy<byte[]> Document = new(() =>
    {
        using var stream = typeof(OpenApiDocument).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException("The embedded OpenAPI document is missing.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    });

    public static byte[] Bytes => Document.Value;
}
