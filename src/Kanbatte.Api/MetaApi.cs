using Microsoft.AspNetCore.Http;

namespace Kanbatte.Api;

/// <summary>The routes about the API itself: liveness and its OpenAPI document (the only two anyone may call), and who the caller is.</summary>
public sealed class MetaApi(ApiHandler handler)
{
    private static readonly byte[] Healthy = "{\"status\":\"healthy\"}"u8.ToArray();

    /// <summary>Liveness only: answers without touching the store.</summary>
    public Task<IResult> HealthAsync(HttpRequest request) => handler.HandleAnonymousAsync(request, QueryParameters.None, _ =>
        Task.FromResult(new JsonResponse(StatusCodes.Status200OK, Healthy)));

    public Task<IResult> OpenApiAsync(HttpRequest request) => handler.HandleAnonymousAsync(request, QueryParameters.None, _ =>
        Task.FromResult(new JsonResponse(StatusCodes.Status200OK, OpenApiDocument.Bytes)));

    /// <summary>The caller as the token names them: how a user learns the id others add them to a project by.</summary>
    public Task<IResult> MeAsync(HttpRequest request) => handler.HandleAsync(request, (caller, _, _) =>
    {
        QueryParameters.None.ThrowIfUnknown(request);
        return Task.FromResult(JsonResponse.Of(StatusCodes.Status200OK, new Me(caller.Id, caller.Name, caller.Admin)));
    });
}
