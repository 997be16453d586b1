using System.Net.Http.Headers;
using System.Net.Http.Json;
using Kanbatte.Api;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Kanbatte.FunctionalTests;

/// <summary>
/// Every route of the server against every kind of caller (no token, a bad or expired one, a stranger, an operator, a
/// viewer, a member, an owner), from the server's own route table: each gets exactly its status, and a refused request
/// appends nothing.
/// </summary>
public sealed class AuthorizationMatrixTests(KanbatteFactory factory) : IClassFixture<KanbatteFactory>
{
    [Fact]
    public async Task Every_route_answers_every_kind_of_caller_as_its_rule_says()
    {
        var failures = await AuthorizationMatrix.RunAsync(new Server(factory));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Every_route_of_the_server_has_a_rule()
    {
        var routes = new Server(factory).Routes;
        Assert.True(routes.Count >= 40, $"only {routes.Count} routes found");
        Assert.DoesNotContain(routes, r => AuthorizationMatrix.RuleOf(r.Method, r.Template) is null);
    }

    private sealed class Server(KanbatteFactory factory) : AuthorizationMatrix.IHost
    {
        private readonly HttpClient _client = factory.CreateAnonymousClient();

        public IReadOnlyList<(string Method, string Template)> Routes =>
            ServerRoutes.Of(factory.Services.GetRequiredService<EndpointDataSource>())
                .Select(r => (r.Method, r.Template[(ApiRoutes.Prefix.Length + 2)..])).ToList();

        public async Task<int> SendAsync(string method, string template, AuthorizationMatrix.Request request, string? token)
        {
            var path = request.RouteValues.Aggregate(template, (t, v) => t.Replace("{" + v.Key + "}", Uri.EscapeDataString(v.Value)));
            var message = new HttpRequestMessage(new HttpMethod(method), $"/{ApiRoutes.Prefix}/{path}{request.Query}");
            if (request.Body is not null) message.Content = JsonContent.Create(request.Body, options: Http.Json);
            if (token is not null) message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return (int)(await _client.SendAsync(message)).StatusCode;
        }

        public Task<long> EventCountAsync() => Task.FromResult(factory.EventCount);

        public Task ProjectAsync() => Task.CompletedTask; // the server projects each append with it
    }
}
