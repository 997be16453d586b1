using Kanbatte.Application;
using Kanbatte.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Kanbatte.Api;

/// <summary>
/// What every route's handler runs inside: the correlation id, and the one mapping of outcomes to problem details,
/// so that no client mistake ever becomes a 500 and every route answers the same way.
/// </summary>
public sealed class ApiHandler(Idempotency idempotency, Identity identity, ILogger<ApiHandler> logger)
{
    /// <summary>
    /// Runs <paramref name="work"/> for the request's authenticated caller (the hosts refuse a request without one before
    /// any handler runs; this answers 401 too, should one get here). <paramref name="work"/> checks, in this order, who the
    /// caller is to the project (404, 403) and then the request itself (query, body: 415, 400), so nothing about a project
    /// is revealed to someone who may not see it.
    /// </summary>
    public async Task<IResult> HandleAsync(HttpRequest request, Func<Caller, EventMetadata, CancellationToken, Task<JsonResponse>> work)
    {
        var correlationId = CorrelationId.Stamp(request);
        try
        {
            // Unreachable behind the hosts' authentication, which refuses a request without a user first.
            if (identity.CallerOf(request.HttpContext.User) is not { } caller)
                return Problems.Unauthorized(BearerChallenge.MissingTokenDetail) with { WwwAuthenticate = "Bearer" };
            return await work(caller, new EventMetadata(correlationId, Actor: caller.Actor), request.HttpContext.RequestAborted);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return ProblemOf(e, request, correlationId);
        }
    }

    /// <summary>A write that honours <c>Idempotency-Key</c> (on POST): a retry by the same caller gets the first answer and appends nothing.</summary>
    public Task<IResult> HandleIdempotentAsync(HttpRequest request, Func<Caller, EventMetadata, CancellationToken, Task<JsonResponse>> work) =>
        HandleAsync(request, (caller, metadata, ct) => Idempotency.KeyOf(request) is { } key
            ? idempotency.RunAsync(request, key, caller, () => work(caller, metadata, ct), ct)
            : work(caller, metadata, ct));

    /// <summary>The two routes anyone may call (health and the OpenAPI document).</summary>
    public async Task<IResult> HandleAnonymousAsync(HttpRequest request, QueryParameters accepted, Func<CancellationToken, Task<JsonResponse>> work)
    {
        var correlationId = CorrelationId.Stamp(request);
        try
        {
            accepted.ThrowIfUnknown(request);
            return await work(request.HttpContext.RequestAborted);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return ProblemOf(e, request, correlationId);
        }
    }

    private JsonResponse ProblemOf(Exception e, HttpRequest request, string correlationId)
    {
        switch (e)
        {
            case ApiProblemException problem:
                return problem.Problem;
            case ValidationException invalid:
                return Problems.Validation(invalid.Errors, invalid.Found);
            case NotFoundException:
                return Problems.NotFound(e.Message);
            case ConflictException:
                return Problems.Conflict(e.Message);
            case ConcurrencyException:
                // Other writers kept changing the stream through every attempt: nothing was written, and sending it again is safe.
                return Problems.Conflict($"{e.Message} Others kept writing to it while this request was decided again and again; nothing was written: send it again.");
            case StoreBusyException:
                return Problems.Create(StatusCodes.Status503ServiceUnavailable, "Service unavailable.", e.Message);
            case ChangesExpiredException:
                return Problems.Gone(e.Message);
            case ForbiddenException:
                return Problems.Forbidden(e.Message);
            case PreconditionFailedException stale:
                return Problems.PreconditionFailed(e.Message, stale.CurrentVersion);
            case BadHttpRequestException:
                // The server itself refused the body (e.g. over its own size limit, or cut off mid-way).
                return Problems.BadRequest("body", e.Message);
            default:
                logger.LogError(e, "Request {Method} {Path} failed (correlation {CorrelationId})", request.Method, request.Path, correlationId);
                return Problems.Create(StatusCodes.Status500InternalServerError, "The server failed.", $"Correlation id {correlationId}.");
        }
    }
}
