using System.Text;
using System.Text.Json;
using Kanbatte.Application;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;

namespace Kanbatte.Azure.Tests;

/// <summary>A request built the way the ASP.NET Core integration hands one to a function, and its response read back.</summary>
public static class DirectHttp
{
    public static HttpRequest Request(IServiceProvider services, string method, string path, object? body = null, string? query = null, string contentType = "application/json")
    {
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("localhost", 7071);
        context.Request.Path = path;
        if (query is not null) context.Request.QueryString = new QueryString(query);
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

    /// <summary>Executes the function's IActionResult as the worker's ASP.NET Core integration does, and reads what it wrote.</summary>
    public static async Task<Response> ExecuteAsync(HttpRequest request, IActionResult result)
    {
        var context = request.HttpContext;
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        context.Response.Body.Position = 0;
        var body = await new StreamReader(context.Response.Body, Encoding.UTF8).ReadToEndAsync();
        return new Response(context.Response.StatusCode, context.Response.Headers, context.Response.ContentType, body);
    }
}
