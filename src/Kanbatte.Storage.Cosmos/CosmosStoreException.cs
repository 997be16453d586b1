using System.Net;

namespace Kanbatte.Storage.Cosmos;

/// <summary>A store call that failed for a reason other than a conflict, with the service's status.</summary>
public sealed class CosmosStoreException(string message, HttpStatusCode status) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;
}
