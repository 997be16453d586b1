using Kanbatte.Api;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.DependencyInjection;

namespace Kanbatte.Functions;

/// <summary>
/// Runs <see cref="RequestGate"/> before every HTTP function (the isolated worker runs no ASP.NET Core middleware, so
/// this is where the token is checked): CORS and preflights, then the bearer token, as on the server. When the gate
/// answers, the function does not run. Functions that are not HTTP (the change-feed trigger) pass straight through.
/// </summary>
public sealed class KanbatteRequestMiddleware : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (context.GetHttpContext() is not { } http)
        {
            await next(context);
            return;
        }
        var refusal = await http.RequestServices.GetRequiredService<RequestGate>().CheckAsync(http);
        if (refusal is null)
        {
            await next(context);
            return;
        }
        // Written straight to the response: the integration then finds no function result and leaves the response as it is.
        await refusal.ExecuteAsync(http);
    }
}
