using System.Net;
using Microsoft.Azure.Cosmos;

namespace Kanbatte.Tests.Cosmos;

/// <summary>
/// TEST ONLY. The test server answers a read, patch or delete of a missing item with 500 "Cannot read properties of
/// undefined" where Cosmos DB answers 404; this maps exactly that answer, so the store's real 404 handling is exercised.
/// </summary>
public sealed class MissingItemAs404Handler : RequestHandler
{
    public override async Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken)
    {
        ResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e.Message.Contains(MissingItem, StringComparison.Ordinal)) // the SDK's internal DocumentClientException, below its own handlers
        {
            return NotFound(request);
        }
        if (response.StatusCode != HttpStatusCode.InternalServerError) return response;
        if ((response.ErrorMessage ?? "").Contains(MissingItem, StringComparison.Ordinal)
            || (response.Diagnostics?.ToString() ?? "").Contains(MissingItem, StringComparison.Ordinal))
        {
            response.Dispose();
            return NotFound(request);
        }
        return response;
    }

    private const string MissingItem = "Cannot read properties of undefined";

    private static ResponseMessage NotFound(RequestMessage request) =>
        new(HttpStatusCode.NotFound, request, "Not found (mapped from the test server's 500)");
}
