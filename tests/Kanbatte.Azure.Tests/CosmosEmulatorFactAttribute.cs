namespace Kanbatte.Azure.Tests;

/// <summary>
/// A test that needs a real Cosmos DB (the emulator or an account): the change feed, TransactionalBatch. The local test
/// server cannot serve those, so these run only when KANBATTE_COSMOS_TEST_ENDPOINT and KANBATTE_COSMOS_TEST_KEY are set.
/// </summary>
public sealed class CosmosEmulatorFactAttribute : FactAttribute
{
    public const string EndpointVariable = "KANBATTE_COSMOS_TEST_ENDPOINT";
    public const string KeyVariable = "KANBATTE_COSMOS_TEST_KEY";

    public CosmosEmulatorFactAttribute()
    {
        if (string.IsNullOrEmpty(Endpoint) || string.IsNullOrEmpty(Key))
            Skip = $"Needs a real Cosmos DB emulator or account (the change feed and TransactionalBatch are not served by the local test server): set {EndpointVariable} and {KeyVariable}.";
    }

    public static string? Endpoint => Environment.GetEnvironmentVariable(EndpointVariable);
    public static string? Key => Environment.GetEnvironmentVariable(KeyVariable);
}
