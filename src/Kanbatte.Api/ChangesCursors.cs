using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kanbatte.Application;
using Kanbatte.Domain;

namespace Kanbatte.Api;

/// <summary>
/// Changes cursors as clients hold them: the position, signed (HMAC-SHA256 with the continuation tokens' key, under a
/// purpose of its own, so neither can stand for the other) and bound to its project. A cursor that was altered, or
/// that belongs to another project, is a 400 naming <c>since</c>.
/// </summary>
public sealed class ChangesCursors(PagingOptions options)
{
    private readonly byte[] _key = HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.TokenKey), "kanbatte changes cursor"u8);

    private sealed record Payload(string P, string E, long S, int O, bool L, string? T, long B);

    public string Encode(ChangesCursor cursor)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Payload(cursor.ProjectKey, cursor.Epoch, cursor.Seq, cursor.Offset, cursor.Listing,
            cursor.ListedThrough, cursor.Basis.ToUnixTimeSeconds()), KanbatteJson.Options);
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(Sign(payload));
    }

    /// <summary>The cursor in <paramref name="token"/>, if it was issued for <paramref name="projectKey"/>.</summary>
    public ChangesCursor Decode(string token, string projectKey)
    {
        var dot = token.IndexOf('.');
        Payload? p = null;
        try
        {
            if (dot > 0)
            {
                var payload = Base64Url.DecodeFromChars(token.AsSpan(0, dot));
                if (CryptographicOperations.FixedTimeEquals(Base64Url.DecodeFromChars(token.AsSpan(dot + 1)), Sign(payload)))
                    p = JsonSerializer.Deserialize<Payload>(payload, KanbatteJson.Options);
            }
        }
        catch (Exception e) when (e is FormatException or JsonException) { }
        if (p is null) throw new ValidationException("since", "is not a cursor this feed issued.");
        if (p.P != projectKey) throw new ValidationException("since", $"is a cursor of another project, not of {projectKey}.");
        return new ChangesCursor(p.P, p.E, p.S, p.O, p.L, p.T, DateTimeOffset.FromUnixTimeSeconds(p.B));
    }

    private byte[] Sign(ReadOnlySpan<byte> payload) => HMACSHA256.HashData(_key, payload)[..16];
}
