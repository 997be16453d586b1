using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace Kanbatte.Api;

/// <summary>
/// Cross-origin access for browser clients, answered by Kanbatte on both hosts with ASP.NET Core's CORS service: the
/// origins listed in <c>Kanbatte:Cors:Origins</c> (none by default), the API's methods, the request headers it reads, and
/// the response headers a client needs to see. Tokens are sent explicitly, never as cookies, so no credentials mode.
/// </summary>
public static class KanbatteCors
{
    public const string OriginsSection = "Kanbatte:Cors:Origins";

    public static readonly string[] Methods = [HttpMethods.Get, HttpMethods.Head, HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete];

    // The last two are sent by the browser SignalR client (@microsoft/signalr) with its negotiate request: without them a
    // client on another origin (the Static Web App) cannot connect for live updates.
    public static readonly string[] RequestHeaders =
        [HeaderNames.Authorization, HeaderNames.ContentType, HeaderNames.IfMatch, Idempotency.Header, CorrelationId.Header, HeaderNames.XRequestedWith, "X-SignalR-User-Agent"];

    public static readonly string[] ExposedHeaders =
        [HeaderNames.ETag, HeaderNames.Location, CorrelationId.Header, Idempotency.ReplayedHeader, HeaderNames.WWWAuthenticate];

    public static IServiceCollection AddKanbatteCors(this IServiceCollection services, IConfiguration configuration)
    {
        var origins = OriginsIn(configuration);
        return services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
            .WithOrigins(origins)
            .WithMethods(Methods)
            .WithHeaders(RequestHeaders)
            .WithExposedHeaders(ExposedHeaders)
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
    }

    /// <summary>The configured origins, each <c>scheme://host[:port]</c>; anything else refuses to start, naming the entry.</summary>
    public static string[] OriginsIn(IConfiguration configuration)
    {
        var section = configuration.GetSection(OriginsSection);
        if (!string.IsNullOrEmpty(section.Value))
            throw new InvalidOperationException($"{OriginsSection} is a list: set {OriginsSection}:0, {OriginsSection}:1, ... (app settings Kanbatte__Cors__Origins__0, ...).");
        var origins = new List<string>();
        foreach (var entry in section.GetChildren())
        {
            var value = entry.Value ?? "";
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
                || uri.PathAndQuery != "/" || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
                throw new InvalidOperationException($"{OriginsSection}:{entry.Key} '{value}' is not an origin: write scheme://host[:port], e.g. https://app.example.com.");
            origins.Add(uri.GetLeftPart(UriPartial.Authority));
        }
        return [.. origins];
    }
}
