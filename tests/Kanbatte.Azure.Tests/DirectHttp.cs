using System.Text;
using System.Text.Json;
using Kanbatte.Application;
using Kanbatte.Functions;
using Kanbatte.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Kanbatte.Azure.Tests;

/// <summary>
/// A request built the way the ASP.NET Core integration hands one to a function (with the default test user's token
/// unless told otherwise), run through the function app's own middleware as the worker runs it, and its response read back.
/// </summary>
public static class DirectHttp
{
    /// <summary>Pass as <c>token</c> for a request without an Authorization header.</summary>
    public const string NoToken = "";

    public static HttpRequest Request(IServiceProvider services, string method, string path, object? body = null, string? query = null,
        string contentType = "application/json", string? token = null)
    {
        // One scope per request, as the worker gives each invocation (authentication handlers are per request).
        var context = new DefaultHttpContext { RequestServices = services.CreateScope().ServiceProvider };
        context.Request.Method = method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("localhost", 7071);
        context.Request.Path = path;
        if (query is not null) context.Request.QueryString = new QueryString(query);
        token ??= TestTokens.Default;
        if (token.Length > 0) context.Request.Headers.Authorization = "Bearer " + token;
        if (body is not null)
        {
            var bytes = body as byte[] ?? JsonSerializer.SerializeToUtf8Bytes(body, KanbatteJson.Options);
            context.Request.ContentType = contentType;
            context.Request.ContentLength = bytes.Length;
            context.Request.Body = new MemoryStream(bytes);
        }
        context.Response.Body = new MemoryStream();
        return context.Request;
    }

    public sealed record Response(int Status, IHeaderDictionary Headers, string? ContentType, string Body)
    {
        public JsonElement Json => JsonSerializer.Deserialize<JsonElement>(Body);
    }

    /// <summary>
    /// What the worker does with an HTTP invocation: <see cref="KanbatteRequestMiddleware"/> first (CORS, the token), then,
    /// when it lets the request through, the function, whose IActionResult is executed as the ASP.NET Core integration
    /// does; then reads what was written.
    /// </summary>
    public static async Task<Response> CallAsync(HttpRequest request, Func<HttpRequest, Task<IActionResult>> function)
    {
        var context = request.HttpContext;
        IActionResult? result = null;
        await new KanbatteRequestMiddleware().Invoke(new DirectFunctionContext(context, context.RequestServices), async _ => result = await function(request));
        if (result is not null) await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        context.Response.Body.Position = 0;
        var body = await new StreamReader(context.Response.Body, Encoding.UTF8).ReadToEndAsync();
        return new Response(context.Response.StatusCode, context.Response.Headers, context.Response.ContentType, body);
    }
}
