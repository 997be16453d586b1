using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Kanbatte.Api;

/// <summary>
/// JwtBearer's challenge, written as the API's 401 problem (with the correlation id) and the standard
/// <c>WWW-Authenticate: Bearer</c> header (RFC 6750), on both hosts: the server's authorization and the function app's
/// middleware both end in this one event.
/// </summary>
public static class BearerChallenge
{
    public const string MissingTokenDetail = "This route needs a bearer token, sent in the Authorization header (Bearer scheme).";

    /// <summary>Longest error description put in the header; the problem's detail carries the same text.</summary>
    private const int MaxDescription = 200;

    public static Task WriteAsync(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var http = context.HttpContext;
        CorrelationId.Stamp(http.Request);

        // JwtBearer sets Error and ErrorDescription from the failure (expired, wrong audience, bad signature...).
        var description = context.AuthenticateFailure switch
        {
            null => null,
            TokenWithoutUserException noUser => noUser.Message,
            _ when !string.IsNullOrEmpty(context.ErrorDescription) => context.ErrorDescription + ".",
            _ => "The token is malformed, unsigned or not signed by a trusted key.",
        };
        var header = new StringBuilder(JwtBearerDefaults.AuthenticationScheme);
        if (context.AuthenticateFailure is not null)
        {
            header.Append(" error=\"invalid_token\"");
            header.Append(", error_description=\"").Append(HeaderSafe(description!)).Append('"');
        }
        http.Response.Headers[HeaderNames.WWWAuthenticate] = header.ToString();

        var detail = description is null
            ? MissingTokenDetail
            : "The bearer token was refused. " + description;
        return Problems.Unauthorized(detail).ExecuteAsync(http);
    }

    /// <summary>Descriptions may quote token values (an audience, say): keep the header to plain printable ASCII without quotes.</summary>
    private static string HeaderSafe(string text)
    {
        var safe = new StringBuilder(Math.Min(text.Length, MaxDescription));
        foreach (var c in text.Take(MaxDescription)) safe.Append(c is >= ' ' and <= '~' and not '"' and not '\\' ? c : '?');
        return safe.ToString();
    }
}
