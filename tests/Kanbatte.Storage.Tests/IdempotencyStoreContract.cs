using Kanbatte.Application;

namespace Kanbatte.Storage.Tests;

/// <summary>Idempotency keys on every store: a request that outlived its claim neither answers for nor gives back the retry that took it over.</summary>
public abstract class IdempotencyStoreContract(IStoreFactory factory) : IAsyncLifetime
{
    // Finer than the stores keep times (milliseconds): a claim must still be recognised as stored.
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-01-01T00:00:00.1234567Z");
    private StoreUnderTest _store = null!;

    public async Task InitializeAsync() => _store = await factory.CreateAsync();
    public async Task DisposeAsync() => await _store.DisposeAsync();

    private IIdempotencyStore Keys => _store.Idempotency;

    private static StoredResponse Answer(string location) => new(201, "application/json", [1, 2], location, "\"1\"");

    [Fact]
    public async Task A_claim_taken_over_is_neither_completed_nor_released_by_the_request_that_lost_it()
    {
        // Request A claims the key and runs past the abandoned-claim age; its retry B takes the key over.
        Assert.Null(await Keys.TryClaimAsync("k", "h", T0, _ => false));
        var t1 = T0.AddMinutes(2);
        Assert.Null(await Keys.TryClaimAsync("k", "h", t1, _ => true));

        // A fails: B's claim stays, so a third try waits for B instead of running the request again.
        await Keys.ReleaseAsync("k", T0);
        var held = await Keys.TryClaimAsync("k", "h", t1.AddSeconds(1), _ => false);
        Assert.Equal((KanbatteJson.Format(t1), null as StoredResponse), (KanbatteJson.Format(held!.ClaimedAt), held.Response)); // kept to the millisecond

        // A succeeds after all: B answers for the key, not A.
        await Keys.CompleteAsync("k", T0, Answer("/a"));
        Assert.Null((await Keys.TryClaimAsync("k", "h", t1.AddSeconds(1), _ => false))?.Response);
        await Keys.CompleteAsync("k", t1, Answer("/b"));
        Assert.Equal("/b", (await Keys.TryClaimAsync("k", "h", t1.AddSeconds(1), _ => false))?.Response?.Location);

        // And a completed key is never released.
        await Keys.ReleaseAsync("k", t1);
        Assert.Equal("/b", (await Keys.TryClaimAsync("k", "h", t1.AddSeconds(1), _ => false))?.Response?.Location);
    }

    [Fact]
    public async Task A_failed_request_gives_its_own_claim_back()
    {
        Assert.Null(await Keys.TryClaimAsync("k", "h", T0, _ => false));
        await Keys.ReleaseAsync("k", T0);
        Assert.Null(await Keys.TryClaimAsync("k", "h", T0.AddSeconds(1), _ => false)); // claimed afresh
    }
}

public sealed class SqliteIdempotencyStoreContract() : IdempotencyStoreContract(new SqliteStoreFactory());

public sealed class CosmosIdempotencyStoreContract() : IdempotencyStoreContract(new CosmosStoreFactory());
