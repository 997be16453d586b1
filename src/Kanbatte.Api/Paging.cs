using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kanbatte.Application;
using Kanbatte.Domain;
using Microsoft.AspNetCore.Http;

namespace Kanbatte.Api;

/// <summary>The <c>limit</c> and <c>continuationToken</c> of a list request, and the page it answers with.</summary>
public sealed class Paging(PagingOptions options)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 100;
    private readonly byte[] _key = Encoding.UTF8.GetBytes(options.TokenKey);

    public int Limit(HttpRequest request)
    {
        var raw = QueryValues.Single(request, "limit");
        if (raw is null) return DefaultLimit;
        return QueryValues.TryParseWhole(raw, out var limit) && limit is >= 1 and <= MaxLimit
            ? limit
            : throw new ValidationException("limit", $"must be a whole number from 1 to {MaxLimit}.");
    }

    /// <summary>The position the previous page ended at, or null for the first page. <paramref name="scope"/> names the list.</summary>
    public string? After(HttpRequest request, string scope)
    {
        var token = QueryValues.Single(request, "continuationToken");
        if (string.IsNullOrEmpty(token)) return null;
        var dot = token.IndexOf('.');
        try
        {
            if (dot > 0)
            {
                var payload = Base64Url.DecodeFromChars(token.AsSpan(0, dot));
                var mac = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
                if (CryptographicOperations.FixedTimeEquals(mac, Sign(payload)))
                {
                    var parts = JsonSerializer.Deserialize<string[]>(payload);
                    if (parts is [var s, var after] && s == scope) return after;
                }
            }
        }
        catch (Exception e) when (e is FormatException or JsonException) { }
        throw new ValidationException("continuationToken", "is not a token this list issued.");
    }

    public string? Token(string scope, string? after)
    {
        if (after is null) return null;
        var payload = JsonSerializer.SerializeToUtf8Bytes(new[] { scope, after });
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(Sign(payload));
    }

    /// <summary>
    /// Writes <c>{"items": [...], "continuationToken": ...}</c>; items are JSON already serialized. A list that reports
    /// its whole size (the dead letters) gives <paramref name="count"/>, written as <c>count</c>.
    /// </summary>
    public JsonResponse Page(IEnumerable<string> itemsJson, string scope, string? after, long? count = null)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("items");
            foreach (var item in itemsJson) writer.WriteRawValue(item, skipInputValidation: true);
            writer.WriteEndArray();
            writer.WriteString("continuationToken", Token(scope, after));
            if (count is { } n) writer.WriteNumber("count", n);
            writer.WriteEndObject();
        }
        return new JsonResponse(StatusCodes.Status200OK, buffer.ToArray());
    }

    public JsonResponse Page(Page<ViewDocument> page, string scope) => Page(page.Items.Select(d => d.Json), scope, page.Next);

    public static int AfterNumber(string? after) =>
        after is null ? 0 : int.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
            : throw new ValidationException("continuationToken", "is not a token this list issued.");

    private byte[] Sign(ReadOnlySpan<byte> payload) => HMACSHA256.HashData(_key, payload)[..16];
}
