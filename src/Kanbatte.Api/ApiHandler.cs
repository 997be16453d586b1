using Kanbatte.Application;
using Kanbatte.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Kanbatte.Api;

/// <summary>
/// What every route's handler runs inside: the correlation id, and the one mapping of outcomes to problem details,
/// so that no client mistake ever becomes a 500 and every route answers the same way.
/// </summary>
public sealed class ApiHandler(Idempotency idempotency, ILogger<ApiHandler> logger)
{
    /// <summary>Runs <paramref name="work"/> once the query names only parameters in <paramref name="accepted"/>.</summary>
    public async Task<IResult> HandleAsync(HttpRequest request, QueryParameters accepted, Func<EventMetadata, CancellationToken, Task<JsonResponse>> work)
    {
        var correlationId = CorrelationId.Stamp(request);
        try
        {
            accepted.ThrowIfUnknown(request);
            return await work(new EventMetadata(correlationId), request.HttpContext.RequestAborted);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return ProblemOf(e, request, correlationId);
        }
    }

    /// <summary>A write that honours <c>Idempotency-Key</c> (on POST): a retry gets the first answer and appends nothing.</summary>
    public Task<IResult> HandleIdempotentAsync(HttpRequest request, QueryParameters accepted, Func<EventMetadata, CancellationToken, Task<JsonResponse>> work) =>
        HandleAsync(request, accepted, (metadata, ct) => Idempotency.KeyOf(request) is { } key
            ? idempotency.RunAsync(request, key, () => work(metadata, ct), ct)
            : work(metadata, ct));

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
