using System.Reflection;
using Kanbatte.Functions;
using Kanbatte.Functions.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace Kanbatte.Azure.Tests;

/// <summary>
/// The authorization matrix of the server (<see cref="AuthorizationMatrix"/>) on the function app, over Cosmos DB: its
/// worker middleware and its function classes together, every HTTP function's methods against every kind of caller.
/// </summary>
public sealed class FunctionAuthorizationMatrixTests : IAsyncLifetime
{
    private FunctionApp _app = null!;
    private SignalRServiceStandIn _signalR = null!;

    public async Task InitializeAsync()
    {
        // Push configured (negotiate answers), against a local stand-in of Azure SignalR Service.
        _signalR = await SignalRServiceStandIn.StartAsync();
        _app = await FunctionApp.StartAsync(s => s.AddSingleton<global::Azure.Core.TokenCredential>(new SignalRServiceStandIn.Credential()), _signalR.Settings);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _signalR.DisposeAsync();
    }

    [Fact]
    public async Task Every_function_answers_every_kind_of_caller_as_its_rule_says()
    {
        var failures = await AuthorizationMatrix.RunAsync(new Functions(_app));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private sealed class Functions(FunctionApp app) : AuthorizationMatrix.IHost
    {
        private readonly HashSet<string> _projected = new(StringComparer.Ordinal);

        /// <summary>Every HTTP function's methods but the preflight (which the middleware answers for any caller).</summary>
        private static readonly List<(string Method, string Template, Type Type, MethodInfo Run)> All =
            typeof(HealthFunction).Assembly.GetTypes()
                .Select(t => (Type: t, Run: t.GetMethod("Run")))
                .Where(f => f.Run is not null)
                .SelectMany(f => f.Run!.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).OfType<HttpTriggerAttribute>()
                    .SelectMany(trigger => trigger.Methods!.Where(m => m != "options").Select(m => (m.ToUpperInvariant(), trigger.Route!, f.Type, f.Run!))))
                .ToList();

        public IReadOnlyList<(string Method, string Template)> Routes => All.Select(f => (f.Method, f.Template)).ToList();

        public async Task<int> SendAsync(string method, string template, AuthorizationMatrix.Request request, string? token)
        {
            var (_, _, type, run) = All.Single(f => f.Method == method && f.Template == template);
            var path = "/api/" + request.RouteValues.Aggregate(template, (t, v) => t.Replace("{" + v.Key + "}", Uri.EscapeDataString(v.Value)));
            var http = DirectHttp.Request(app.Services, method, path, request.Body, request.Query, token: token ?? DirectHttp.NoToken);
            var function = ActivatorUtilities.CreateInstance(app.Services, type);
            // The host binds route values decoded, as the function's parameters.
            var values = run.GetParameters().Skip(1).Select(p => (object)request.RouteValues[p.Name!]).ToArray();
            return (await DirectHttp.CallAsync(http, r => (Task<IActionResult>)run.Invoke(function, [r, .. values])!)).Status;
        }

        public async Task<long> EventCountAsync() => (await app.LogAsync()).Count;

        /// <summary>What the change feed would deliver since the last call.</summary>
        public async Task ProjectAsync()
        {
            var fresh = (await app.LogAsync()).Where(d => _projected.Add(d.Id)).ToList();
            if (fresh.Count > 0) await app.Function<ProjectEventsFunction>().Run(fresh, CancellationToken.None);
        }
    }
}
