using Kanbatte.Storage.Cosmos;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;

namespace Kanbatte.Azure.Tests;

/// <summary>The membership scenarios of the SQLite server (<see cref="MembershipScenarios"/>) on the server over the Cosmos DB store.</summary>
public sealed class CosmosMembershipTests(CosmosServerFactory cosmos) : IClassFixture<CosmosServerFactory>
{
    private MembershipScenarios Scenarios => new((id, name) => cosmos.CreateClient().WithToken(TestTokens.Mint(id, name, admin: false)), CountAsync);

    private async Task<long> CountAsync()
    {
        var query = cosmos.Services.GetRequiredService<CosmosContainers>().EventLog.GetItemQueryIterator<long>("SELECT VALUE COUNT(1) FROM c");
        long count = 0;
        while (query.HasMoreResults) count += (await query.ReadNextAsync()).Sum();
        return count;
    }

    [Fact]
    public Task Each_user_lists_their_own_projects_and_owners_manage_members() => Scenarios.Each_user_lists_their_own_projects_and_owners_manage_members();

    [Fact]
    public Task Nothing_of_a_project_crosses_to_someone_outside_it() => Scenarios.Nothing_of_a_project_crosses_to_someone_outside_it();

    [Fact]
    public Task Every_event_names_its_actor_and_comments_their_authors_and_idempotency_keys_their_callers() =>
        Scenarios.Every_event_names_its_actor_and_comments_their_authors_and_idempotency_keys_their_callers();
}
